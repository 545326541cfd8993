import { Injectable } from '@nestjs/common';
import { ProxyRoute, ProxyState } from '@testausdeploy/icp';
import { ReadModels } from '../events/read-models';
import { ProjectRoutesView, RoutesView } from './projections/routes-view';
import { ROUTES } from './projections/routes.projection';
import { RouteHosts } from './route-hosts';

/**
 * The routes the Manager wants its Guardians' proxies to hold: every running project's routes that have
 * somewhere to go (the running version reported its service on the apps network), at their host names.
 */
@Injectable()
export class DesiredRoutes {
  constructor(
    private readonly readModels: ReadModels,
    private readonly hosts: RouteHosts,
  ) {}

  async state(): Promise<ProxyState> {
    return { routes: (await this.projects()).flatMap((project) => this.routesOf(project)) };
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

  private routesOf({ org, repo, routes, upstreams, serving }: ProjectRoutesView): ProxyRoute[] {
    if (!serving) return [];
    const hosts = this.hosts.of(org, repo, routes);
    return routes.flatMap(({ service, port }, i) => {
      const upstream = upstreams.find((one) => one.service === service && one.port === port);
      if (!upstream || hosts[i].length === 0) return [];
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
