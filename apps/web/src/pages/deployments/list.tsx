import { useState } from 'react';
import { inStreams } from '../../api/live';
import { listDeployments, type Deployment } from '../../api/deployments';
import { Page } from '../../components/page';
import { Pager, ROWS_PER_PAGE } from '../../components/pager';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
import { Time } from '../../components/time';
import { Link } from '../../router';

const PAGE = ROWS_PER_PAGE;

/** Every deployment, newest first, a page at a time, each page asked of the API alone. */
export function Deployments() {
  const [page, setPage] = useState(0);
  // One more than a page says whether there is an older page.
  const deployments = useResource(
    () => listDeployments({ limit: PAGE + 1, offset: page * PAGE }),
    `deployments/${page}`,
    { refreshOn: inStreams('deployment-') },
  );
  const older = deployments.state === 'ready' && deployments.data.length > PAGE;
  return (
    <Page
      title="Deployments"
      actions={
        <Link to="/deployments/new" className="button primary">
          New deployment
        </Link>
      }
    >
      <Loaded
        resource={deployments}
        empty={page === 0 ? 'Nothing is deployed yet.' : 'No older deployments.'}
      >
        {(list) => <DeploymentTable deployments={list.slice(0, PAGE)} />}
      </Loaded>
      {/* Outside the list: a page left empty by deletions still leads back. */}
      {(page > 0 || older) && (
        <Pager
          label="Pages of deployments"
          page={page + 1}
          newer={page > 0 ? () => setPage(page - 1) : undefined}
          older={older ? () => setPage(page + 1) : undefined}
        />
      )}
    </Page>
  );
}

/** Deployments as rows: source, status, commit, requester, time; each links to its page. */
export function DeploymentTable({ deployments, current }: { deployments: Deployment[]; current?: string }) {
  return (
    <Table
      rows={deployments}
      rowKey={(one) => one.id}
      current={(one) => one.id === current}
      columns={[
        {
          header: 'Source',
          cell: (one) => (
            <>
              <Link to={`/deployments/${one.id}`}>
                {one.org}/{one.repo}@{one.branch}
              </Link>
              <div className="muted small">{one.composePath}</div>
            </>
          ),
        },
        { header: 'Status', cell: (one) => <Status value={one.status} /> },
        { header: 'Commit', cell: (one) => one.commit?.slice(0, 12) ?? '—', className: 'mono' },
        {
          header: 'Configuration',
          cell: (one) => (one.configurationVersion ? `version ${one.configurationVersion}` : 'none'),
        },
        { header: 'Requested by', cell: (one) => one.requestedBy },
        { header: 'Requested', cell: (one) => <Time at={one.requestedAt} /> },
      ]}
    />
  );
}
