import { useState } from 'react';
import {
  getConfiguration,
  importVariables,
  removeVariable,
  setVariable,
  type Variable,
} from '../../api/configuration';
import { inStreams } from '../../api/live';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Table } from '../../components/table';
import { Time } from '../../components/time';
import { Link } from '../../router';

/** What a change answers: the deployment it started, if it was to redeploy. */
type Changed = { deploymentId: string | null };

/**
 * A project's variables, for its maintainers: set, import, remove; a secret's value is never shown again. A
 * change waits for the next deployment, or with "Redeploy now" starts one, which the section links to.
 */
export function Variables({ org, repo }: { org: string; repo: string }) {
  const configuration = useResource(() => getConfiguration(org, repo), `variables-${org}/${repo}`, {
    refreshOn: inStreams(`configuration-${org}/${repo}`),
  });
  const [redeploy, setRedeploy] = useState(false);
  const [started, setStarted] = useState<string | null>(null);
  const changed = ({ deploymentId }: Changed) => {
    setStarted(deploymentId);
    configuration.reload();
  };
  return (
    <Section title="Variables">
      <p className="muted">
        Each deployment runs with the configuration version it was started with (its page says which). A
        change waits for the next deployment, unless it redeploys now.
      </p>
      <label className="check">
        <input type="checkbox" checked={redeploy} onChange={(event) => setRedeploy(event.target.checked)} />{' '}
        Redeploy now with each change
      </label>
      {started && (
        <p role="status">
          Redeploying with the new configuration: <Link to={`/deployments/${started}`}>the deployment</Link>.
        </p>
      )}
      <Loaded
        resource={configuration}
        isEmpty={(one) => one.variables.length === 0}
        empty="No variables yet."
      >
        {(one) => (
          <>
            <p>Configuration version {one.version}</p>
            <Table
              rows={one.variables}
              rowKey={(variable) => `${variable.service ?? ''}/${variable.name}`}
              columns={[
                { header: 'Name', cell: (variable) => variable.name, className: 'mono' },
                { header: 'Service', cell: (variable) => variable.service ?? 'all' },
                {
                  header: 'Value',
                  cell: (variable) => (variable.secret ? <em>secret</em> : variable.value),
                  className: 'mono',
                },
                {
                  header: 'Set',
                  cell: (variable) => (
                    <>
                      by {variable.setBy}, <Time at={variable.setAt} /> (version {variable.version})
                    </>
                  ),
                },
                {
                  header: 'Remove',
                  cell: (variable: Variable) => (
                    <Action
                      run={() => removeVariable(org, repo, variable, redeploy)}
                      done={(answer) => changed(answer as Changed)}
                      className="danger"
                    >
                      {`Remove ${variable.name}`}
                    </Action>
                  ),
                },
              ]}
            />
          </>
        )}
      </Loaded>
      <h3>Set a variable</h3>
      <SetOne org={org} repo={repo} redeploy={redeploy} done={changed} />
      <h3>Import a .env file</h3>
      <ImportText org={org} repo={repo} redeploy={redeploy} done={changed} />
    </Section>
  );
}

interface ChangeProps {
  org: string;
  repo: string;
  redeploy: boolean;
  done: (answer: Changed) => void;
}

function SetOne({ org, repo, redeploy, done }: ChangeProps) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [service, setService] = useState('');
  const [secret, setSecret] = useState(true);
  return (
    <Form
      label="Set"
      submit={async () => {
        const answer = await setVariable(org, repo, name.trim(), {
          value,
          secret,
          service: service.trim() || null,
          redeploy,
        });
        setName('');
        setValue('');
        done(answer);
      }}
    >
      <div className="row">
        <Field label="Variable name" value={name} set={setName} required spellCheck={false} />
        <Field
          label="Value"
          value={value}
          set={setValue}
          type={secret ? 'password' : 'text'}
          // Not the dashboard's sign-in: no password manager fills it in or offers to keep it.
          autoComplete="new-password"
          data-1p-ignore
          data-lpignore="true"
          data-bwignore
          required
          spellCheck={false}
        />
        <Field label="Service (empty: all)" value={service} set={setService} spellCheck={false} />
      </div>
      <label className="check">
        <input type="checkbox" checked={secret} onChange={(event) => setSecret(event.target.checked)} />{' '}
        Secret: never shown again
      </label>
    </Form>
  );
}

function ImportText({ org, repo, redeploy, done }: ChangeProps) {
  const [text, setText] = useState('');
  const [secret, setSecret] = useState(true);
  const [said, setSaid] = useState<string>();
  return (
    <Form
      label="Import"
      submit={async () => {
        const answer = await importVariables(org, repo, { text, secret, redeploy });
        setText('');
        const skipped = answer.skipped.map(({ line, reason }) => `line ${line}: ${reason}`);
        setSaid([`Set ${answer.set.join(', ') || 'nothing'}.`, ...skipped].join(' '));
        done(answer);
      }}
    >
      <label className="field">
        <span>A .env file's text</span>
        <textarea
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          required
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={secret} onChange={(event) => setSecret(event.target.checked)} /> Each
        one secret
      </label>
      {said && <p role="status">{said}</p>}
    </Form>
  );
}
