import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { projectKey } from '../../projects/projections/project-view';
import { DelegatedDomains } from '../delegated-domains';
import { DesiredRoutes } from '../desired-routes';
import { RouteHosts } from '../route-hosts';
import { RouteSync } from '../route-sync';
import { GetProjectRoutesQuery, ProjectRoutesAnswer } from './get-project-routes.query';

@QueryHandler(GetProjectRoutesQuery)
export class GetProjectRoutesHandler implements IQueryHandler<GetProjectRoutesQuery> {
  constructor(
    private readonly desired: DesiredRoutes,
    private readonly hosts: RouteHosts,
    private readonly sync: RouteSync,
    private readonly delegated: DelegatedDomains,
  ) {}

  async execute({ org, repo }: GetProjectRoutesQuery): Promise<ProjectRoutesAnswer> {
    const projects = await this.desired.projects();
    const project = projects.find(({ _id }) => _id === projectKey(org, repo)) ?? null;
    const routes = project?.routes ?? [];
    const claim = this.desired.claims(projects).get(projectKey(org, repo));
    const wanted = this.hosts.of(org, repo, routes);
    const certificates = this.sync.certificates();
    const traffic = this.sync.traffic();
    const requestsOf = (hosts: string[]) => {
      const counted = hosts.flatMap((host) => traffic.get(host) ?? []);
      if (counted.length === 0) return null;
      return {
        requests: counted.reduce((sum, one) => sum + one.requests, 0),
        serverErrors: counted.reduce((sum, one) => sum + one.serverErrors, 0),
        since: counted.map((one) => one.since).sort()[0],
      };
    };
    return {
      org,
      repo,
      defaultHost: this.hosts.defaultHost(org, repo),
      domains: await this.delegated.of(projectKey(org, repo)),
      serving: project?.serving ?? false,
      routes: routes.map(({ service, port, hosts }, i) => {
        const upstream = project?.upstreams.find((one) => one.service === service && one.port === port);
        return {
          service,
          port,
          hosts,
          servedAt: claim?.perRoute[i] ?? [],
          heldElsewhere: (claim?.heldElsewhere ?? []).filter(({ host }) => wanted[i].includes(host)),
          certificates: (claim?.perRoute[i] ?? []).flatMap((host) => certificates.get(host) ?? []),
          requests: requestsOf(claim?.perRoute[i] ?? []),
          upstream: upstream ? { address: upstream.address, port } : null,
        };
      }),
    };
  }
}
