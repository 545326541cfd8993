import type { ReactNode } from 'react';
import type { WhoAmI } from './api/session';
import { Firewall } from './pages/admin/firewall';
import { Members } from './pages/admin/members';
import { Nodes } from './pages/admin/nodes';
import { Organisations } from './pages/admin/organisations';
import { Projections } from './pages/admin/projections';
import { Audit } from './pages/audit';
import { ContainerPage } from './pages/containers/detail';
import { Containers } from './pages/containers/list';
import { DeploymentPage } from './pages/deployments/detail';
import { Deployments } from './pages/deployments/list';
import { NewDeployment } from './pages/deployments/new';
import { ChannelPage } from './pages/notifications/detail';
import { Notifications } from './pages/notifications/list';
import { Overview } from './pages/overview';
import { Tokens } from './pages/tokens';
import { ProjectPage } from './pages/projects/detail';
import { Projects } from './pages/projects/list';

export interface Route {
  pattern: string;
  /** Shown in the navigation under this label; pages with parameters are not. */
  label?: string;
  /** Only admins are offered the page; the API refuses its calls to anyone else all the same. */
  admin: boolean;
  page: (params: Record<string, string>, me: WhoAmI) => ReactNode;
}

/** Every page by its path below /ui, in the navigation's order. */
export const ROUTES: Route[] = [
  { pattern: '/', label: 'Overview', admin: true, page: () => <Overview /> },
  { pattern: '/projects', label: 'Projects', admin: false, page: (_, me) => <Projects me={me} /> },
  {
    pattern: '/projects/:org/:repo',
    admin: false,
    page: ({ org, repo }) => <ProjectPage org={org} repo={repo} />,
  },
  { pattern: '/deployments', label: 'Deployments', admin: false, page: () => <Deployments /> },
  { pattern: '/deployments/new', admin: false, page: (_, me) => <NewDeployment me={me} /> },
  { pattern: '/deployments/:id', admin: false, page: ({ id }) => <DeploymentPage id={id} /> },
  { pattern: '/containers', label: 'Containers', admin: false, page: (_, me) => <Containers me={me} /> },
  {
    pattern: '/containers/:name',
    admin: false,
    page: ({ name }, me) => <ContainerPage name={name} admin={me.role === 'admin'} />,
  },
  { pattern: '/audit', label: 'Audit', admin: false, page: () => <Audit /> },
  {
    pattern: '/notifications',
    label: 'Notifications',
    admin: false,
    page: (_, me) => <Notifications me={me} />,
  },
  { pattern: '/notifications/:id', admin: false, page: ({ id }) => <ChannelPage id={id} /> },
  { pattern: '/tokens', label: 'Tokens', admin: false, page: () => <Tokens /> },
  { pattern: '/admin/members', label: 'Members', admin: true, page: () => <Members /> },
  { pattern: '/admin/organisations', label: 'Organisations', admin: true, page: () => <Organisations /> },
  { pattern: '/admin/nodes', label: 'Nodes', admin: true, page: () => <Nodes /> },
  { pattern: '/admin/firewall', label: 'Firewall', admin: true, page: () => <Firewall /> },
  { pattern: '/admin/projections', label: 'Projections', admin: true, page: () => <Projections /> },
];

/** Where a signed-in caller starts: an admin on the overview, a member on their projects and containers. */
export const home = (me: WhoAmI) => (me.role === 'admin' ? '/' : '/projects');
