import { lazy, Suspense, useMemo, useState } from 'react';
import { inStreams } from '../api/live';
import { auditPage, type AuditEntry } from '../api/audit';
import { listContainers } from '../api/containers';
import { listDeployments, type DeploymentStatus } from '../api/deployments';
import { listNodes } from '../api/nodes';
import { getStats, type Stats } from '../api/stats';
import { Page, Section } from '../components/page';
import { Loaded, useResource } from '../components/resource';
import { Status } from '../components/status';
import { Table } from '../components/table';
import { EventTable } from '../components/event-table';
import { useLiveEvents } from '../components/live';
import { Link } from '../router';

/** uPlot comes with the overview's charts only: the first page of every other path does not wait for it. */
const DailyChart = lazy(() =>
  import('../components/chart').then(({ DailyChart }) => ({ default: DailyChart })),
);

/** How many of the latest events the overview shows. */
const LATEST = 10;

/** The latest events: those that arrived live, then those loaded before, each once. */
function newest(arrived: AuditEntry[], loaded: AuditEntry[]): AuditEntry[] {
  const byPosition = new Map([...loaded, ...arrived].map((entry) => [entry.position, entry]));
  return [...byPosition.values()].sort((a, b) => b.position - a.position).slice(0, LATEST);
}

const STATUSES: DeploymentStatus[] = ['requested', 'succeeded', 'failed', 'stopped', 'removed'];
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** What an admin sees first: deployments by status, boxes, nodes, the stats as charts, the latest events. */
export function Overview() {
  const deployments = useResource(() => listDeployments({ limit: 500 }), 'deployments', {
    refreshOn: inStreams('deployment-'),
  });
  const containers = useResource(listContainers, 'containers', { refreshOn: inStreams('container-') });
  const nodes = useResource(listNodes, 'nodes', { everyMs: 5000, refreshOn: inStreams('node-') });
  const stats = useResource(getStats, 'stats', { refreshOn: inStreams('deployment-') });
  const events = useResource(() => auditPage({ limit: LATEST }), 'events');
  const [arrived, setArrived] = useState<AuditEntry[]>([]);
  useLiveEvents((event) => setArrived((before) => [event, ...before].slice(0, LATEST)));
  return (
    <Page title="Overview">
      <div className="grid">
        <Section title="Deployments">
          <Loaded resource={deployments}>
            {(list) => (
              <ul className="counts">
                {STATUSES.map((status) => (
                  <li key={status}>
                    <Status value={status} />{' '}
                    <strong>{list.filter((one) => one.status === status).length}</strong>
                  </li>
                ))}
              </ul>
            )}
          </Loaded>
        </Section>
        <Section title="Member containers">
          <Loaded resource={containers}>
            {(list) => (
              <p>
                <strong>{list.filter((one) => one.status === 'running').length}</strong> running of{' '}
                {list.length}
              </p>
            )}
          </Loaded>
        </Section>
        <Section title="Nodes">
          <Loaded resource={nodes} empty="No node is enrolled yet.">
            {(list) => (
              <ul className="plain">
                {list.map((node) => (
                  <li key={node.name}>
                    {node.name} <span className="muted">({node.kind})</span>{' '}
                    <Status value={node.connected ? 'connected' : 'disconnected'} />
                  </li>
                ))}
              </ul>
            )}
          </Loaded>
        </Section>
      </div>
      <Loaded resource={stats}>{(figures) => <StatsCharts stats={figures} />}</Loaded>
      <Section title="Latest events">
        <Loaded resource={events} isEmpty={(page) => page.entries.length === 0} empty="The log is empty.">
          {(page) => <EventTable entries={newest(arrived, page.entries)} />}
        </Loaded>
        <p>
          <Link to="/audit">The whole audit log</Link>
        </p>
      </Section>
    </Page>
  );
}

function StatsCharts({ stats }: { stats: Stats }) {
  const days = useMemo(() => stats.perDay.map((day) => day.day), [stats]);
  const outcomes = useMemo(
    () => [
      { label: 'succeeded', values: stats.perDay.map((day) => day.succeeded), colour: '--good' },
      { label: 'failed', values: stats.perDay.map((day) => day.failed), colour: '--bad' },
    ],
    [stats],
  );
  const times = useMemo(
    () => [
      {
        label: 'mean deploy time (s)',
        values: stats.perDay.map((day) => (day.meanDeployMs === null ? null : day.meanDeployMs / 1000)),
        colour: '--accent',
      },
    ],
    [stats],
  );
  return (
    <>
      <Suspense fallback={<p className="muted">Drawing the charts…</p>}>
        <div className="grid">
          <Section title="Deploys per day">
            <DailyChart days={days} series={outcomes} title="Succeeded and failed deploys per day" />
          </Section>
          <Section title="Mean deploy time per day">
            <DailyChart days={days} series={times} title="Mean deploy time per day, in seconds" />
          </Section>
        </div>
      </Suspense>
      <Section title="Per organisation">
        <p>
          Overall: {stats.overall.requested} requested, success rate {percent(stats.overall.successRate)},
          mean deploy time {seconds(stats.overall.meanDeployMs)}
        </p>
        <Table
          rows={stats.perOrg}
          rowKey={(org) => org.org}
          columns={[
            { header: 'Organisation', cell: (org) => org.org },
            { header: 'Requested', cell: (org) => org.requested },
            { header: 'Succeeded', cell: (org) => org.succeeded },
            { header: 'Failed', cell: (org) => org.failed },
            { header: 'Success rate', cell: (org) => percent(org.successRate) },
            { header: 'Mean deploy time', cell: (org) => seconds(org.meanDeployMs) },
            { header: 'Running containers', cell: (org) => org.runningContainers },
          ]}
        />
      </Section>
      <Section title="Requests through the proxy, last 24 hours">
        {stats.traffic.length === 0 ? (
          <p className="muted">No requests counted yet: each hour is counted once it has ended.</p>
        ) : (
          <Table
            rows={stats.traffic}
            rowKey={(project) => `${project.org}/${project.repo}`}
            columns={[
              {
                header: 'Project',
                cell: (project) => (
                  <Link to={`/projects/${project.org}/${project.repo}`}>
                    {project.org}/{project.repo}
                  </Link>
                ),
              },
              { header: 'Requests', cell: (project) => project.requests },
              { header: 'Server errors', cell: (project) => project.serverErrors },
              { header: 'Error rate', cell: (project) => percent(project.errorRate) },
            ]}
          />
        )}
      </Section>
    </>
  );
}
