import { listContainers, quota } from '../../api/containers';
import { inStreams } from '../../api/live';
import type { WhoAmI } from '../../api/session';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { SshLine } from '../../components/ssh-line';
import { Status } from '../../components/status';
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
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {me.role === 'admin' && <th scope="col">Owner</th>}
                  <th scope="col">Status</th>
                  <th scope="col">Limits</th>
                  <th scope="col">SSH</th>
                </tr>
              </thead>
              <tbody>
                {list.map((one) => (
                  <tr key={one.incarnation}>
                    <td>
                      <Link to={`/containers/${encodeURIComponent(one.name)}`}>{one.name}</Link>
                    </td>
                    {me.role === 'admin' && <td>{one.owner}</td>}
                    <td>
                      <Status value={one.status} />
                    </td>
                    <td>
                      {one.limits.cpus} CPU, {one.limits.memoryMiB} MiB, {one.limits.diskGiB} GiB
                    </td>
                    <td>{one.status === 'running' ? <SshLine user={one.user} port={one.sshPort} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <Section title="Quota">
        <Loaded resource={left}>
          {(used) => (
            <ul className="plain">
              <li>
                Containers: {used.containers.used} of {used.containers.max}
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
        created={() => {
          containers.reload();
          left.reload();
        }}
      />
    </Page>
  );
}
