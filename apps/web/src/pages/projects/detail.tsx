import { useState } from 'react';
import { inStreams } from '../../api/live';
import {
  getProject,
  grantRole,
  removeProject,
  revokeRole,
  type Project,
  type ProjectRole,
} from '../../api/projects';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { RunsOn } from '../../components/runs-on';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
import { Time } from '../../components/time';
import { TypedName } from '../../components/typed-name';
import { Link, navigate } from '../../router';
import { Move } from './move';
import { Routes } from './routes';
import { Variables } from './variables';

/**
 * One project: what is deployed from it and on which node, where it answers over HTTPS, who holds which role; an admin grants and
 * revokes roles here.
 */
export function ProjectPage({ org, repo }: { org: string; repo: string }) {
  const project = useResource(() => getProject(org, repo), `${org}/${repo}`, {
    refreshOn: inStreams(`project-${org}/${repo}`, 'deployment-'),
  });
  return (
    <Page title={`${org}/${repo}`}>
      <Loaded resource={project}>
        {(one) => (
          <>
            <Section title="Deployed">
              {one.latest ? (
                <dl className="facts">
                  <dt>Newest deployment</dt>
                  <dd>
                    <Link to={`/deployments/${one.latest.deploymentId}`}>
                      <Status value={one.latest.status ?? 'requested'} />
                    </Link>{' '}
                    <Time at={one.latest.requestedAt} />
                  </dd>
                  <dt>Branch</dt>
                  <dd className="mono">{one.latest.branch}</dd>
                  <dt>Compose file</dt>
                  <dd className="mono">{one.latest.composePath}</dd>
                  <dt>Runs on</dt>
                  <dd>
                    {one.placement ? (
                      <RunsOn
                        node={one.placement.node}
                        reason={one.placement.reason}
                        unreachableSince={one.unreachableSince}
                      />
                    ) : (
                      'placed at its first run'
                    )}
                    {one.placement && one.placement.leftOn.length > 0 && (
                      <span className="reason">
                        {' '}
                        Its old copy on {one.placement.leftOn.join(', ')} is still to be removed; it is tried
                        again when that node connects.
                      </span>
                    )}
                  </dd>
                </dl>
              ) : (
                <p>Nothing is deployed from it yet.</p>
              )}
              <p>Your role: {one.access}</p>
            </Section>
            <Routes org={org} repo={repo} access={one.access} />
            <Roles project={one} reload={project.reload} />
            {one.access !== 'viewer' && <Variables org={org} repo={repo} />}
            {one.access === 'admin' && one.placement && <Move project={one} />}
            {one.access !== 'viewer' && <Remove org={org} repo={repo} />}
          </>
        )}
      </Loaded>
    </Page>
  );
}

function Roles({ project, reload }: { project: Project; reload: () => void }) {
  const admin = project.access === 'admin';
  const { org, repo } = project;
  return (
    <Section title="Members">
      {project.members.length === 0 ? (
        <p>Nobody holds a role on it{admin ? '' : ' but you'}.</p>
      ) : (
        <Table
          rows={project.members}
          rowKey={(one) => one.member}
          columns={[
            { header: 'Member', cell: (one) => one.member },
            { header: 'Role', cell: (one) => one.role },
            {
              header: 'Granted',
              cell: (one) => (
                <>
                  by {one.grantedBy}, <Time at={one.grantedAt} />
                </>
              ),
            },
            admin && {
              header: 'Revoke',
              cell: (one) => (
                <Action run={() => revokeRole(org, repo, one.member)} done={reload} className="danger">
                  {`Revoke ${one.member}`}
                </Action>
              ),
            },
          ]}
        />
      )}
      {admin && <Grant project={project} granted={reload} />}
    </Section>
  );
}

function Grant({ project, granted }: { project: Project; granted: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  return (
    <Form
      label="Grant"
      submit={async () => {
        await grantRole(project.org, project.repo, name.trim(), role);
        setName('');
        granted();
      }}
    >
      <div className="row">
        <Field label="Member" value={name} set={setName} required spellCheck={false} />
        <label className="field">
          <span>Project role</span>
          <select value={role} onChange={(event) => setRole(event.target.value as ProjectRole)}>
            <option value="viewer">viewer: status, containers, logs</option>
            <option value="maintainer">maintainer: deploy, roll back, stop, remove too</option>
          </select>
        </label>
      </div>
    </Form>
  );
}

/** Removing the project, with its name typed: what goes with it is said first, as it cannot be undone. */
function Remove({ org, repo }: { org: string; repo: string }) {
  const [typed, setTyped] = useState('');
  return (
    <Section title="Remove the project">
      <Form
        label="Remove the project"
        danger
        submit={async () => {
          await removeProject(org, repo, typed.trim());
          navigate('/projects');
        }}
      >
        <p>
          Removes its containers, volumes and data from the server, its variables (its key is destroyed: no
          one can read its secrets again, except from a backup of the database made before, while that is
          kept), its notification channels and every member&apos;s role on it. Its deployments stay in the
          history.
        </p>
        <TypedName name={`${org}/${repo}`} typed={typed} set={setTyped} />
      </Form>
    </Section>
  );
}
