import { Injectable } from '@nestjs/common';
import { ProxyRoute, ProxyState } from '@testausdeploy/icp';
import { ReadModels } from '../events/read-models';
import { GuardianScope } from '../placement/guardian-scope';
import { ProjectRoutesView, RoutesView } from './projections/routes-view';
import { ROUTES } from './projections/routes.projection';
import { ClaimedHosts, claimHosts } from './host-claims';
import { RouteHosts } from './route-hosts';

/**
 * The routes the Manager wants its Guardians' proxies to hold: every running project's routes that have
 * somewhere to go (the running version reported its service on the apps network), at the host names they hold:
 * each name once, so the Guardian never gets a state it must refuse whole.
 */
@Injectable()
export class DesiredRoutes {
  constructor(
    private readonly readModels: ReadModels,
    private readonly hosts: RouteHosts,
    private readonly scope: GuardianScope,
  ) {}

  /** Every project's routes, or, for one Guardian, those of the projects placed on the Workers it guards. */
  async state(guardian?: string): Promise<ProxyState> {
    const projects = await this.projects();
    // Host names are claimed across every node: a name belongs to one project wherever it runs.
    const claims = this.claims(projects);
    const holds = guardian === undefined ? () => true : await this.scope.of(guardian);
    return {
      routes: projects
        .filter(({ org, repo }) => holds(`project:${org}/${repo}`))
        .flatMap((project) => this.routesOf(project, claims.get(project._id)?.perRoute ?? [])),
    };
  }

  /** Every project with routes, in a fixed order. */
  async projects(): Promise<ProjectRoutesView[]> {
    await this.readModels.started;
    const views = await this.readModels
      .collection<RoutesView>(ROUTES)
      .find({ kind: 'project' })
      .sort({ _id: 1 })
      .toArray();
    return views.flatMap((view) => (view.kind === 'project' && view.routes.length > 0 ? [view] : []));
  }

  /** The host names each project's routes get (see claimHosts). */
  claims(projects: ProjectRoutesView[]): Map<string, ClaimedHosts> {
    return claimHosts(projects, ({ org, repo, routes }) => this.hosts.of(org, repo, routes));
  }

  private routesOf(
    { org, repo, routes, upstreams, serving }: ProjectRoutesView,
    hosts: string[][],
  ): ProxyRoute[] {
    if (!serving) return [];
    return routes.flatMap(({ service, port }, i) => {
      const upstream = upstreams.find((one) => one.service === service && one.port === port);
      if (!upstream || !hosts[i]?.length) return [];
      return [
        {
          owner: `project:${org}/${repo}`,
          hosts: hosts[i],
          upstreams: [{ address: upstream.address, port }],
        },
      ];
    });
  }
}
