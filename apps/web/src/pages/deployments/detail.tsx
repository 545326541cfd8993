import { useState } from 'react';
import { inStream, inStreams } from '../../api/live';
import {
  deploymentContainers,
  deploymentLog,
  getDeployment,
  listDeployments,
  redeploy,
  removeProject,
  restartProject,
  rollback,
  sourceLocks,
  startProject,
  stopProject,
  type Deployment,
} from '../../api/deployments';
import { getConfiguration } from '../../api/configuration';
import { getProject } from '../../api/projects';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { LogView } from '../../components/log-view';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
import { Time } from '../../components/time';
import { mib } from '../../components/units';
import { navigate } from '../../router';
import { ContainerOutput } from './container-output';
import { DeploymentTable } from './list';

/** One deployment: what it is, its build log while it runs, its containers and their output, its attempts. */
export function DeploymentPage({ id }: { id: string }) {
  const deployment = useResource(() => getDeployment(id), id, { refreshOn: inStream(`deployment-${id}`) });
  if (deployment.state !== 'ready') {
    return (
      <Page title="Deployment">
        <Loaded resource={deployment}>{() => null}</Loaded>
      </Page>
    );
  }
  return <Loaded resource={deployment}>{(one) => <Deployed deployment={one} />}</Loaded>;
}

function Deployed({ deployment: one }: { deployment: Deployment }) {
  const project = useResource(() => getProject(one.org, one.repo), `${one.org}/${one.repo}`, {
    refreshOn: inStream(`project-${one.org}/${one.repo}`),
  });
  // A viewer is not offered what only a maintainer may do (the API refuses it all the same).
  const mayAct = project.state === 'ready' && project.data.access !== 'viewer';
  return (
    <Page title={`${one.org}/${one.repo}@${one.branch}`}>
      <Summary deployment={one} mayAct={mayAct} newest={useNewestConfiguration(one, mayAct)} />
      <BuildLog deployment={one} />
      {one.status === 'succeeded' && <Containers id={one.id} />}
      {one.status === 'succeeded' && <ContainerOutput deployment={one} />}
      <Attempts deployment={one} mayAct={mayAct} />
      {mayAct && one.status !== 'removed' && one.status !== 'requested' && <Remove deployment={one} />}
    </Page>
  );
}

/** The project's configuration version now, for whoever may read it (its maintainers): null for the others. */
function useNewestConfiguration(deployment: Deployment, mayRead: boolean): number | null {
  const { org, repo } = deployment;
  const configuration = useResource(
    () => (mayRead ? getConfiguration(org, repo) : Promise.resolve(null)),
    `configuration-${org}/${repo}-${mayRead}`,
    { refreshOn: inStream(`configuration-${org}/${repo}`) },
  );
  return configuration.state === 'ready' ? (configuration.data?.version ?? null) : null;
}

function Summary({
  deployment,
  mayAct,
  newest,
}: {
  deployment: Deployment;
  mayAct: boolean;
  newest: number | null;
}) {
  const locks = useResource(sourceLocks, 'locks', { refreshOn: inStreams('deployment-') });
  const lock =
    locks.state === 'ready'
      ? locks.data.find((one) => one.org === deployment.org && one.repo === deployment.repo)
      : undefined;
  const go = (answer: unknown) =>
    navigate(`/deployments/${(answer as { deploymentId: string }).deploymentId}`);
  return (
    <Section title="Deployment">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Status value={deployment.status} />
          {deployment.reason && <span className="reason"> {deployment.reason}</span>}
        </dd>
        <dt>Compose file</dt>
        <dd className="mono">{deployment.composePath}</dd>
        <dt>Commit</dt>
        <dd className="mono">{deployment.commit ?? '—'}</dd>
        <dt>Compose digest</dt>
        <dd className="mono">{deployment.composeDigest ?? '—'}</dd>
        <dt>Configuration</dt>
        <dd>
          {deployment.configurationVersion ? `version ${deployment.configurationVersion}` : 'no variables'}
          {newest !== null && newest > deployment.configurationVersion && (
            <span className="muted">
              {' '}
              (the project&apos;s is at version {newest} now: it runs with the next deployment)
            </span>
          )}
        </dd>
        <dt>Requested by</dt>
        <dd>
          {deployment.requestedBy}, <Time at={deployment.requestedAt} />
        </dd>
        {deployment.moveTo && (
          <>
            <dt>Move</dt>
            <dd>
              to <span className="mono">{deployment.moveTo}</span>: once it succeeds the project runs there,
              and is removed where it ran
            </dd>
          </>
        )}
        {deployment.rollbackOf && (
          <>
            <dt>Rollback of</dt>
            <dd className="mono">{deployment.rollbackOf}</dd>
          </>
        )}
        {deployment.handover && (
          <>
            <dt>Redeploy</dt>
            <dd>
              {deployment.handover.mode === 'beside'
                ? 'beside the running version, then switched over: no request dropped'
                : `in place: ${deployment.handover.reason}`}
            </dd>
          </>
        )}
        <dt>Disk</dt>
        <dd>{mib(deployment.diskBytes)}</dd>
      </dl>
      {lock && (
        <p className="notice" role="status">
          {lock.org}/{lock.repo} is being deployed by {lock.requestedBy} since <Time at={lock.since} />: other
          deploys of it wait.
        </p>
      )}
      {mayAct && (
        <div className="toolbar">
          <Action run={() => redeploy(deployment.id)} done={go}>
            Redeploy
          </Action>
          {deployment.status === 'succeeded' && (
            <>
              <Action run={() => stopProject(deployment.id)}>Stop</Action>
              <Action run={() => restartProject(deployment.id)}>Restart</Action>
            </>
          )}
          {deployment.status === 'stopped' && <Action run={() => startProject(deployment.id)}>Start</Action>}
        </div>
      )}
    </Section>
  );
}

function BuildLog({ deployment }: { deployment: Deployment }) {
  const running = deployment.status === 'requested';
  const log = useResource(() => deploymentLog(deployment.id), deployment.id, {
    everyMs: running ? 1000 : undefined,
  });
  return (
    <Section title="Build log">
      <Loaded resource={log}>
        {(output) => (
          <>
            {output.truncated && <p className="muted">Only the last lines are kept.</p>}
            <LogView lines={output.lines} label="Build log" empty="No output yet." />
            {output.running && (
              <p className="muted" role="status">
                Running…
              </p>
            )}
          </>
        )}
      </Loaded>
    </Section>
  );
}

function Containers({ id }: { id: string }) {
  const containers = useResource(() => deploymentContainers(id), id, { everyMs: 5000 });
  return (
    <Section title="Containers">
      <Loaded
        resource={containers}
        isEmpty={(answer) => answer.containers.length === 0}
        empty="No containers."
      >
        {({ containers: list }) => (
          <Table
            rows={list}
            rowKey={(one) => one.name}
            columns={[
              {
                header: 'Service',
                cell: (one) => (
                  <>
                    {one.service} <div className="muted small mono">{one.name}</div>
                  </>
                ),
              },
              {
                header: 'State',
                cell: (one) => (
                  <>
                    <Status value={one.state} /> <span className="muted small">{one.status}</span>
                  </>
                ),
              },
              { header: 'Restarts', cell: (one) => one.restarts },
              {
                header: 'CPU',
                cell: (one) => (one.cpuPercent === null ? '—' : `${one.cpuPercent.toFixed(1)} %`),
              },
              {
                header: 'Memory',
                cell: (one) => (
                  <>
                    {mib(one.memoryBytes)}
                    {one.memoryLimitBytes !== null && (
                      <span className="muted"> / {mib(one.memoryLimitBytes)}</span>
                    )}
                  </>
                ),
              },
              {
                header: 'Ports',
                className: 'mono',
                cell: (one) =>
                  one.ports
                    .map((port) => `${port.ip}:${port.publicPort}→${port.privatePort}/${port.protocol}`)
                    .join(', ') || '—',
              },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}

function Attempts({ deployment, mayAct }: { deployment: Deployment; mayAct: boolean }) {
  const all = useResource(() => listDeployments({ limit: 500 }), 'attempts', {
    refreshOn: inStreams('deployment-'),
  });
  const go = (answer: unknown) =>
    navigate(`/deployments/${(answer as { deploymentId: string }).deploymentId}`);
  return (
    <Section title="Attempts of this source">
      <Loaded resource={all}>
        {(list) => {
          const attempts = list.filter(
            (one) =>
              one.org === deployment.org && one.repo === deployment.repo && one.branch === deployment.branch,
          );
          const earlier = attempts.filter(
            (one) => one.commit && one.id !== deployment.id && one.status !== 'failed',
          );
          return (
            <>
              <DeploymentTable deployments={attempts} current={deployment.id} />
              {mayAct && earlier.length > 0 && (
                <ul className="plain rollbacks">
                  {earlier.map((one) => (
                    <li key={one.id}>
                      <Action run={() => rollback(one.id)} done={go}>
                        Roll back to {one.commit?.slice(0, 12)}
                      </Action>{' '}
                      <span className="muted">
                        deployed <Time at={one.requestedAt} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}

function Remove({ deployment }: { deployment: Deployment }) {
  const [typed, setTyped] = useState('');
  const [volumes, setVolumes] = useState(false);
  const name = deployment.repo;
  return (
    <Section title="Remove">
      <Form
        label="Remove the project"
        danger
        submit={async () => {
          if (typed !== name) throw new Error(`Type ${name} to confirm.`);
          await removeProject(deployment.id, volumes);
        }}
      >
        <p>Removes its containers, networks and built images. Type the repository's name to confirm.</p>
        <Field label={`Type ${name}`} value={typed} set={setTyped} autoComplete="off" spellCheck={false} />
        <label className="check">
          <input type="checkbox" checked={volumes} onChange={(event) => setVolumes(event.target.checked)} />{' '}
          Remove its named volumes too
        </label>
      </Form>
    </Section>
  );
}
