import { useState } from 'react';
import { inStreams } from '../../api/live';
import { listDeployments, type Deployment } from '../../api/deployments';
import { Page } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { Time } from '../../components/time';
import { Link } from '../../router';

const PAGE = 25;

/** Every deployment, newest first, a page at a time. */
export function Deployments() {
  const deployments = useResource(() => listDeployments(500), 'deployments', {
    refreshOn: inStreams('deployment-'),
  });
  const [page, setPage] = useState(0);
  return (
    <Page
      title="Deployments"
      actions={
        <Link to="/deployments/new" className="button primary">
          New deployment
        </Link>
      }
    >
      <Loaded resource={deployments} empty="Nothing is deployed yet.">
        {(list) => {
          const pages = Math.ceil(list.length / PAGE);
          const shown = list.slice(page * PAGE, (page + 1) * PAGE);
          return (
            <>
              <DeploymentTable deployments={shown} />
              {pages > 1 && (
                <nav className="pager" aria-label="Pages of deployments">
                  <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
                    Newer
                  </button>
                  <span>
                    Page {page + 1} of {pages}
                  </span>
                  <button type="button" onClick={() => setPage(page + 1)} disabled={page + 1 >= pages}>
                    Older
                  </button>
                </nav>
              )}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}

/** Deployments as rows: source, status, commit, requester, time; each links to its page. */
export function DeploymentTable({ deployments, current }: { deployments: Deployment[]; current?: string }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Commit</th>
            <th scope="col">Requested by</th>
            <th scope="col">Requested</th>
          </tr>
        </thead>
        <tbody>
          {deployments.map((one) => (
            <tr key={one.id} aria-current={one.id === current ? 'page' : undefined}>
              <td>
                <Link to={`/deployments/${one.id}`}>
                  {one.org}/{one.repo}@{one.branch}
                </Link>
                <div className="muted small">{one.composePath}</div>
              </td>
              <td>
                <Status value={one.status} />
              </td>
              <td className="mono">{one.commit?.slice(0, 12) ?? '—'}</td>
              <td>{one.requestedBy}</td>
              <td>
                <Time at={one.requestedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
