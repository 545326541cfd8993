import { useState } from 'react';
import { inStream } from '../../api/live';
import {
  containerProgress,
  deleteBackup,
  deleteContainer,
  deleteSnapshot,
  getContainer,
  makeBackup,
  makeSnapshot,
  restartContainer,
  restoreBackup,
  restoreSnapshot,
  setLimits,
  setSshKeys,
  startContainer,
  stopContainer,
  type MemberContainer,
} from '../../api/containers';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { LogView } from '../../components/log-view';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { RunsOn } from '../../components/runs-on';
import { SshLine } from '../../components/ssh-line';
import { Status } from '../../components/status';
import { Time } from '../../components/time';
import { TypedName } from '../../components/typed-name';
import { mib } from '../../components/units';
import { navigate } from '../../router';
import { Move } from './move';
import { Schedule } from './schedule';

/**
 * One member container: state, SSH line, actions, limits, keys, snapshots, backups with their progress; an admin
 * moves it to another node.
 */
export function ContainerPage({ name, admin }: { name: string; admin: boolean }) {
  const container = useResource(() => getContainer(name), name, {
    everyMs: 5000,
    refreshOn: inStream(`container-${name}`),
  });
  if (container.state !== 'ready') {
    return (
      <Page title="Container">
        <Loaded resource={container}>{() => null}</Loaded>
      </Page>
    );
  }
  return (
    <Loaded resource={container}>
      {(one) => (
        <Page title={one.name}>
          <Summary container={one} changed={container.reload} />
          <Progress name={one.name} />
          <Snapshots container={one} changed={container.reload} />
          <Backups container={one} changed={container.reload} />
          <Schedule key={one.name} container={one} changed={container.reload} />
          <Limits container={one} changed={container.reload} />
          <Keys container={one} changed={container.reload} />
          {admin && one.node && !one.moving && <Move container={one} changed={container.reload} />}
          <Remove container={one} />
        </Page>
      )}
    </Loaded>
  );
}

type Part = { container: MemberContainer; changed: () => void };

/** What LXD says the container uses now: memory, disk, processes and CPU time so far. */
function Usage({ usage }: { usage: NonNullable<MemberContainer['live']>['usage'] }) {
  return (
    <>
      {mib(usage.memoryBytes)} memory,{' '}
      {usage.diskBytes === null ? 'disk unknown' : `${mib(usage.diskBytes)} disk`}, {usage.processes}{' '}
      processes, {usage.cpuSeconds.toFixed(1)} s of CPU
    </>
  );
}

function Summary({ container, changed }: Part) {
  return (
    <Section title="Container">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Status value={container.status} />
          {container.reason && <span className="reason"> {container.reason}</span>}
        </dd>
        <dt>Owner</dt>
        <dd>{container.owner}</dd>
        <dt>Runs on</dt>
        <dd>
          {container.node ? (
            <RunsOn
              node={container.node}
              reason={container.placement?.reason}
              unreachableSince={container.unreachableSince}
            />
          ) : (
            '—'
          )}
          {container.moving && <span className="reason"> Being moved to {container.moving.to}.</span>}
          {container.leftOn && (
            <span className="reason">
              {' '}
              Its old copy on {container.leftOn} is still to be removed; it is when that node connects.
            </span>
          )}
        </dd>
        <dt>Image</dt>
        <dd className="mono">{container.image}</dd>
        <dt>Address</dt>
        <dd className="mono">{container.ipv4 ?? '—'}</dd>
        <dt>Limits</dt>
        <dd>
          {container.limits.cpus} CPU, {container.limits.memoryMiB} MiB memory, {container.limits.diskGiB} GiB
          disk
        </dd>
        <dt>In use now</dt>
        <dd>{container.live ? <Usage usage={container.live.usage} /> : '—'}</dd>
      </dl>
      {container.status === 'running' && <SshLine user={container.user} port={container.sshPort} />}
      <div className="toolbar">
        {container.status === 'stopped' && (
          <Action run={() => startContainer(container.name)} done={changed}>
            Start
          </Action>
        )}
        {container.status === 'running' && (
          <>
            <Action run={() => stopContainer(container.name)} done={changed}>
              Stop
            </Action>
            <Action run={() => restartContainer(container.name)} done={changed}>
              Restart
            </Action>
          </>
        )}
      </div>
    </Section>
  );
}

/** The running (or last) operation on the container, as the Worker reports it, line by line. */
function Progress({ name }: { name: string }) {
  const progress = useResource(() => containerProgress(name), `progress/${name}`, { everyMs: 1000 });
  if (progress.state !== 'ready') return null;
  const { operation, lines, running, startedAt } = progress.data;
  return (
    <Section title="Last operation">
      <p>
        {operation}, started <Time at={startedAt} />
        {running ? '' : ', ended'}
      </p>
      {running && <progress aria-label={`${operation} in progress`} />}
      <LogView lines={lines} label={`Progress of ${operation}`} empty="No output." />
    </Section>
  );
}

function Snapshots({ container, changed }: Part) {
  const [snapshot, setSnapshot] = useState('');
  return (
    <Section title="Snapshots">
      {container.snapshots.length === 0 ? (
        <p className="empty">No snapshots.</p>
      ) : (
        <ul className="plain">
          {container.snapshots.map((one) => (
            <li key={one.snapshot} className="item">
              <span>
                <strong>{one.snapshot}</strong> <Time at={one.createdAt} />
              </span>
              <Action run={() => restoreSnapshot(container.name, one.snapshot)} done={changed}>
                Restore
              </Action>
              <Action
                run={() => deleteSnapshot(container.name, one.snapshot)}
                done={changed}
                className="danger"
              >
                Delete
              </Action>
            </li>
          ))}
        </ul>
      )}
      <Form
        label="Make a snapshot"
        className="form inline-form"
        submit={async () => {
          await makeSnapshot(container.name, snapshot.trim());
          setSnapshot('');
          changed();
        }}
      >
        <Field label="Snapshot name" value={snapshot} set={setSnapshot} required spellCheck={false} />
      </Form>
    </Section>
  );
}

function Backups({ container, changed }: Part) {
  const [backup, setBackup] = useState('');
  const [newName, setNewName] = useState('');
  return (
    <Section title="Backups">
      {container.backups.length === 0 ? (
        <p className="empty">No backups.</p>
      ) : (
        <ul className="plain">
          {container.backups.map((one) => (
            <li key={one.id} className="item">
              <span>
                <strong>{one.backup}</strong> {mib(one.bytes)}, <Time at={one.createdAt} />
              </span>
              <Action
                run={() =>
                  restoreBackup(container.name, one.backup, newName.trim() || `${container.name}-restored`)
                }
                done={(made) => navigate(`/containers/${encodeURIComponent((made as MemberContainer).name)}`)}
              >
                Restore as new container
              </Action>
              <Action run={() => deleteBackup(container.name, one.backup)} done={changed} className="danger">
                Delete
              </Action>
            </li>
          ))}
        </ul>
      )}
      {container.backups.length > 0 && (
        <Field
          label="Name for a restored container"
          value={newName}
          set={setNewName}
          spellCheck={false}
          placeholder={`${container.name}-restored`}
        />
      )}
      <Form
        label="Make a backup"
        className="form inline-form"
        submit={async () => {
          await makeBackup(container.name, backup.trim());
          setBackup('');
          changed();
        }}
      >
        <Field label="Backup name" value={backup} set={setBackup} required spellCheck={false} />
      </Form>
    </Section>
  );
}

function Limits({ container, changed }: Part) {
  const [cpus, setCpus] = useState(String(container.limits.cpus));
  const [memory, setMemory] = useState(String(container.limits.memoryMiB));
  const [disk, setDisk] = useState(String(container.limits.diskGiB));
  return (
    <Section title="Limits">
      <Form
        label="Change limits"
        submit={async () => {
          await setLimits(container.name, {
            cpus: Number(cpus),
            memoryMiB: Number(memory),
            diskGiB: Number(disk),
          });
          changed();
        }}
      >
        <div className="row">
          <Field label="CPUs" type="number" min={1} value={cpus} set={setCpus} required />
          <Field label="Memory (MiB)" type="number" min={64} value={memory} set={setMemory} required />
          <Field label="Disk (GiB)" type="number" min={1} value={disk} set={setDisk} required />
        </div>
      </Form>
    </Section>
  );
}

function Keys({ container, changed }: Part) {
  const [keys, setKeys] = useState(container.sshKeys.join('\n'));
  return (
    <Section title="SSH keys">
      <Form
        label="Save keys"
        submit={async () => {
          await setSshKeys(
            container.name,
            keys
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
          );
          changed();
        }}
      >
        <label className="field">
          <span>Public keys, one per line</span>
          <textarea
            value={keys}
            onChange={(event) => setKeys(event.target.value)}
            rows={4}
            spellCheck={false}
          />
        </label>
      </Form>
    </Section>
  );
}

function Remove({ container }: { container: MemberContainer }) {
  const [typed, setTyped] = useState('');
  return (
    <Section title="Delete">
      <Form
        label="Delete the container"
        danger
        submit={async () => {
          if (typed !== container.name) throw new Error(`Type ${container.name} to confirm.`);
          await deleteContainer(container.name);
          navigate('/containers');
        }}
      >
        <p>Deletes the container and its snapshots. Its backups stay, restorable by you or an admin.</p>
        <TypedName name={container.name} typed={typed} set={setTyped} />
      </Form>
    </Section>
  );
}
