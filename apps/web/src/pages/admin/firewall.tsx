import { auditPage, type AuditEntry } from '../../api/audit';
import { getFirewall, syncFirewall } from '../../api/firewall';
import { inStreams } from '../../api/live';
import { Action } from '../../components/action';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
import { Time } from '../../components/time';

/** How many of the latest drift reports the page reads to find each Guardian's last one. */
const DRIFTS = 50;

/** What a Guardian last found changed behind its back, and restored: from its `FirewallDriftDetected` events. */
function lastDrift(drifts: AuditEntry[], guardian: string): AuditEntry | undefined {
  return drifts.find((entry) => entry.streamId === `firewall-${guardian}`);
}

/** Which project owns which published port, and each Guardian's last sync and last drift. */
export function Firewall() {
  const firewall = useResource(getFirewall, 'firewall', { everyMs: 5000, refreshOn: inStreams('firewall-') });
  const drifts = useResource(
    () => auditPage({ type: 'FirewallDriftDetected', order: 'newest', limit: DRIFTS }),
    'firewall-drifts',
    { refreshOn: inStreams('firewall-') },
  );
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
                      )}{' '}
                      <Drift
                        entry={
                          drifts.state === 'ready' ? lastDrift(drifts.data.entries, guardian.name) : undefined
                        }
                      />
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

function Drift({ entry }: { entry: AuditEntry | undefined }) {
  if (!entry) return <span className="muted">no drift seen</span>;
  const { differences } = entry.data as { differences: string[] };
  return (
    <span>
      drift restored <Time at={entry.time} />: {differences.join('; ')}
    </span>
  );
}
