import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { projectKey } from '../../projects/projections/project-view';
import { RoutesView } from '../projections/routes-view';
import { ROUTES } from '../projections/routes.projection';
import { RouteHosts } from '../route-hosts';
import { GetProjectRoutesQuery, ProjectRoutesAnswer } from './get-project-routes.query';

@QueryHandler(GetProjectRoutesQuery)
export class GetProjectRoutesHandler implements IQueryHandler<GetProjectRoutesQuery> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly hosts: RouteHosts,
  ) {}

  async execute({ org, repo }: GetProjectRoutesQuery): Promise<ProjectRoutesAnswer> {
    await this.readModels.started;
    const view = await this.readModels.collection<RoutesView>(ROUTES).findOne({ _id: projectKey(org, repo) });
    const project = view?.kind === 'project' ? view : null;
    const routes = project?.routes ?? [];
    const servedAt = this.hosts.of(org, repo, routes);
    return {
      org,
      repo,
      defaultHost: this.hosts.defaultHost(org, repo),
      serving: project?.serving ?? false,
      routes: routes.map(({ service, port, hosts }, i) => {
        const upstream = project?.upstreams.find((one) => one.service === service && one.port === port);
        return {
          service,
          port,
          hosts,
          servedAt: servedAt[i],
          upstream: upstream ? { address: upstream.address, port } : null,
        };
      }),
    };
  }
}
