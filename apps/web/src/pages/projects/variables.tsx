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

/** A project's variables, for its maintainers: set, import, remove; a secret's value is never shown again. */
export function Variables({ org, repo }: { org: string; repo: string }) {
  const configuration = useResource(() => getConfiguration(org, repo), `variables-${org}/${repo}`, {
    refreshOn: inStreams(`configuration-${org}/${repo}`),
  });
  return (
    <Section title="Variables">
      <p className="muted">Kept for the next step: deployments do not get them yet.</p>
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
                      run={() => removeVariable(org, repo, variable)}
                      done={configuration.reload}
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
      <SetOne org={org} repo={repo} done={configuration.reload} />
      <h3>Import a .env file</h3>
      <ImportText org={org} repo={repo} done={configuration.reload} />
    </Section>
  );
}

function SetOne({ org, repo, done }: { org: string; repo: string; done: () => void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [service, setService] = useState('');
  const [secret, setSecret] = useState(true);
  return (
    <Form
      label="Set"
      submit={async () => {
        await setVariable(org, repo, name.trim(), { value, secret, service: service.trim() || null });
        setName('');
        setValue('');
        done();
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

function ImportText({ org, repo, done }: { org: string; repo: string; done: () => void }) {
  const [text, setText] = useState('');
  const [secret, setSecret] = useState(true);
  const [said, setSaid] = useState<string>();
  return (
    <Form
      label="Import"
      submit={async () => {
        const answer = await importVariables(org, repo, { text, secret });
        setText('');
        const skipped = answer.skipped.map(({ line, reason }) => `line ${line}: ${reason}`);
        setSaid([`Set ${answer.set.join(', ') || 'nothing'}.`, ...skipped].join(' '));
        done();
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
