import { getFirewall, syncFirewall } from '../../api/firewall';
import { inStreams } from '../../api/live';
import { Action } from '../../components/action';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Time } from '../../components/time';

/** Which project owns which published port, and each Guardian's last sync. */
export function Firewall() {
  const firewall = useResource(getFirewall, 'firewall', { everyMs: 5000, refreshOn: inStreams('firewall-') });
  return (
    <Page
      title="Firewall"
      actions={
        <Action run={syncFirewall} done={firewall.reload}>
          Sync now
        </Action>
      }
    >
      <Loaded resource={firewall}>
        {({ desired, guardians }) => (
          <>
            <Section title="Published ports">
              {desired.forwards.length === 0 && desired.open.length === 0 ? (
                <p className="empty">No port is published.</p>
              ) : (
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Host port</th>
                        <th scope="col">To</th>
                        <th scope="col">Owner</th>
                      </tr>
                    </thead>
                    <tbody>
                      {desired.forwards.map((one) => (
                        <tr key={`f${one.protocol}${one.hostPort}`}>
                          <td>
                            {one.hostPort}/{one.protocol}
                          </td>
                          <td className="mono">
                            {one.address}:{one.port}
                          </td>
                          <td>{one.owner}</td>
                        </tr>
                      ))}
                      {desired.open.map((one) => (
                        <tr key={`o${one.protocol}${one.port}`}>
                          <td>
                            {one.port}/{one.protocol}
                          </td>
                          <td>open</td>
                          <td>{one.owner}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
            <Section title="Guardians">
              {guardians.length === 0 ? (
                <p className="empty">No Guardian is enrolled.</p>
              ) : (
                <ul className="plain">
                  {guardians.map((guardian) => (
                    <li key={guardian.name}>
                      <strong>{guardian.name}</strong>{' '}
                      <Status value={guardian.connected ? 'connected' : 'disconnected'} />{' '}
                      {guardian.lastSync ? (
                        <span>
                          last sync <Time at={guardian.lastSync.at} />:{' '}
                          {guardian.lastSync.applied
                            ? 'applied'
                            : `failed: ${guardian.lastSync.error ?? 'unknown'}`}
                        </span>
                      ) : (
                        <span className="muted">never synced</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
