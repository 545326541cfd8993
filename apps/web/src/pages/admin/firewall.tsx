import { getFirewall, syncFirewall } from '../../api/firewall';
import { inStreams } from '../../api/live';
import { Action } from '../../components/action';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
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
                <Table
                  rows={[
                    ...desired.forwards.map((one) => ({
                      key: `f${one.protocol}${one.hostPort}`,
                      port: `${one.hostPort}/${one.protocol}`,
                      to: `${one.address}:${one.port}`,
                      owner: one.owner,
                    })),
                    ...desired.open.map((one) => ({
                      key: `o${one.protocol}${one.port}`,
                      port: `${one.port}/${one.protocol}`,
                      to: 'open',
                      owner: one.owner,
                    })),
                  ]}
                  rowKey={(row) => row.key}
                  columns={[
                    { header: 'Host port', cell: (row) => row.port },
                    { header: 'To', cell: (row) => row.to, className: 'mono' },
                    { header: 'Owner', cell: (row) => row.owner },
                  ]}
                />
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
