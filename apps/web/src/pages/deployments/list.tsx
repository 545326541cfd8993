import { useState } from 'react';
import { inStreams } from '../../api/live';
import { listDeployments, type Deployment } from '../../api/deployments';
import { Page } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Table } from '../../components/table';
import { Time } from '../../components/time';
import { Link } from '../../router';

const PAGE = 25;

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
        <nav className="pager" aria-label="Pages of deployments">
          <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
            Newer
          </button>
          <span>Page {page + 1}</span>
          <button type="button" onClick={() => setPage(page + 1)} disabled={!older}>
            Older
          </button>
        </nav>
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
        { header: 'Requested by', cell: (one) => one.requestedBy },
        { header: 'Requested', cell: (one) => <Time at={one.requestedAt} /> },
      ]}
    />
  );
}
