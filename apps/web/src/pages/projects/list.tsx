import { listContainers } from '../../api/containers';
import { inStreams } from '../../api/live';
import { listProjects } from '../../api/projects';
import type { WhoAmI } from '../../api/session';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Status } from '../../components/status';
import { PagedTable, Table } from '../../components/table';
import { Time } from '../../components/time';
import { Link } from '../../router';

/** The projects the caller holds a role on (an admin: all); a member sees their containers beside them. */
export function Projects({ me }: { me: WhoAmI }) {
  const projects = useResource(listProjects, 'projects', { refreshOn: inStreams('project-', 'deployment-') });
  return (
    <Page title="Projects">
      <Loaded
        resource={projects}
        empty={
          me.role === 'admin'
            ? 'Nothing is deployed yet.'
            : 'You hold no role on a project yet: an admin grants them, or deploy a new repository where your organisation allows it.'
        }
      >
        {(list) => (
          <PagedTable
            label="Pages of projects"
            rows={list}
            rowKey={(one) => `${one.org}/${one.repo}`}
            columns={[
              {
                header: 'Project',
                cell: (one) => (
                  <Link to={`/projects/${one.org}/${one.repo}`}>{`${one.org}/${one.repo}`}</Link>
                ),
              },
              { header: 'Your role', cell: (one) => one.access },
              {
                header: 'Newest deployment',
                cell: (one) =>
                  one.latest ? (
                    <Link to={`/deployments/${one.latest.deploymentId}`}>
                      <Status value={one.latest.status ?? 'requested'} /> {one.latest.branch}
                    </Link>
                  ) : (
                    '—'
                  ),
              },
              { header: 'Deployed', cell: (one) => <Time at={one.latest?.requestedAt} /> },
              {
                header: 'Members',
                cell: (one) => one.members.map(({ member, role }) => `${member} (${role})`).join(', ') || '—',
              },
            ]}
          />
        )}
      </Loaded>
      <p>
        <Link to="/deployments/new">Deploy a repository</Link>
      </p>
      {me.role !== 'admin' && <YourContainers />}
    </Page>
  );
}

function YourContainers() {
  const containers = useResource(listContainers, 'containers', { refreshOn: inStreams('container-') });
  return (
    <Section title="Your containers">
      <Loaded resource={containers} empty="No containers yet.">
        {(list) => (
          <Table
            rows={list}
            rowKey={(one) => one.incarnation}
            columns={[
              {
                header: 'Name',
                cell: (one) => <Link to={`/containers/${encodeURIComponent(one.name)}`}>{one.name}</Link>,
              },
              { header: 'Status', cell: (one) => <Status value={one.status} /> },
            ]}
          />
        )}
      </Loaded>
      <p>
        <Link to="/containers">All about your containers</Link>
      </p>
    </Section>
  );
}
