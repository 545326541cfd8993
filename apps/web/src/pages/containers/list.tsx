import { listContainers, quota } from '../../api/containers';
import { inStreams } from '../../api/live';
import type { WhoAmI } from '../../api/session';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { SshLine } from '../../components/ssh-line';
import { Status } from '../../components/status';
import { PagedTable } from '../../components/table';
import { Link } from '../../router';
import { CreateContainer } from './create';

/** A member's containers (an admin's: everyone's), with what the quota leaves, and a form for a new one. */
export function Containers({ me }: { me: WhoAmI }) {
  const containers = useResource(listContainers, 'containers', { refreshOn: inStreams('container-') });
  const left = useResource(quota, 'quota', { refreshOn: inStreams('container-') });
  return (
    <Page title="Containers">
      <Loaded resource={containers} empty="No containers yet: create one below.">
        {(list) => (
          <PagedTable
            label="Pages of containers"
            rows={list}
            rowKey={(one) => one.incarnation}
            columns={[
              {
                header: 'Name',
                cell: (one) => <Link to={`/containers/${encodeURIComponent(one.name)}`}>{one.name}</Link>,
              },
              me.role === 'admin' && { header: 'Owner', cell: (one) => one.owner },
              { header: 'Status', cell: (one) => <Status value={one.status} /> },
              {
                header: 'Limits',
                cell: (one) =>
                  `${one.limits.cpus} CPU, ${one.limits.memoryMiB} MiB, ${one.limits.diskGiB} GiB`,
              },
              {
                header: 'SSH',
                cell: (one) =>
                  one.status === 'running' ? <SshLine user={one.user} port={one.sshPort} /> : '—',
              },
            ]}
          />
        )}
      </Loaded>
      <Section title="Quota">
        <Loaded resource={left}>
          {(used) => (
            <ul className="plain">
              <li>
                Containers: {used.containers.used} of {used.containers.max}, each at most {used.limits.cpus}{' '}
                CPU, {used.limits.memoryMiB} MiB memory, {used.limits.diskGiB} GiB disk
              </li>
              <li>
                Snapshots: {used.snapshots.used} of {used.snapshots.max} ({used.snapshots.perContainer} per
                container)
              </li>
              <li>
                Backups: {used.backups.used} of {used.backups.max} ({used.backups.perContainer} per
                container), {used.backups.mib.used} of {used.backups.mib.max} MiB
              </li>
            </ul>
          )}
        </Loaded>
      </Section>
      <CreateContainer
        me={me}
        max={left.state === 'ready' ? left.data.limits : undefined}
        created={() => {
          containers.reload();
          left.reload();
        }}
      />
    </Page>
  );
}
