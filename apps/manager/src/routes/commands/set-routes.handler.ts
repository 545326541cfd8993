import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  Conflict,
  Forbidden,
  InvalidInput,
  isUnder,
  ProjectRoute,
  ProjectRoutes,
} from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { ProjectRemovals } from '../../projects/project-removals';
import { projectKey } from '../../projects/projections/project-view';
import { DelegatedDomains } from '../delegated-domains';
import { MaintainerHostQuota } from '../maintainer-host-quota';
import { DesiredRoutes } from '../desired-routes';
import { RouteChanges } from '../route-changes';
import { RouteHosts } from '../route-hosts';
import { SetRoutesCommand } from './set-routes.command';

/**
 * The host names given to each service's route that `counts`, in a fixed order: those outside the project's
 * delegated domains are what only an admin may change.
 */
const given = (routes: ProjectRoute[], counts: (host: string) => boolean) =>
  JSON.stringify(
    routes
      .map(({ service, hosts }) => [service, hosts.filter(counts).sort()] as const)
      .filter(([, hosts]) => hosts.length > 0)
      .sort(),
  );

/**
 * Sets a project's routes. A host name belongs to one project at a time: one given to a route that another
 * project holds is refused, naming whose it is (the default one is settled by claimHosts: who had it first keeps
 * it), and so is one under a domain delegated to another project. A name may be in one route only. Host names
 * given to a route are an admin's to give, take or move, but those under the project's delegated domains are its
 * maintainers' too.
 */
@CommandHandler(SetRoutesCommand)
export class SetRoutesHandler implements ICommandHandler<SetRoutesCommand> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly desired: DesiredRoutes,
    private readonly hosts: RouteHosts,
    private readonly removals: ProjectRemovals,
    private readonly changes: RouteChanges,
    private readonly delegated: DelegatedDomains,
    private readonly quota: MaintainerHostQuota,
  ) {}

  execute(command: SetRoutesCommand): Promise<ProjectRoutes> {
    return this.changes.run(() => this.set(command));
  }

  private async set({ org, repo, routes, actor, byAdmin }: SetRoutesCommand): Promise<ProjectRoutes> {
    this.removals.ensureNotRemoving(org, repo);
    const streamId = ProjectRoutes.streamId(org, repo);
    const project = await this.recorder.load(new ProjectRoutes(org, repo), streamId);
    // The apps domain's names are every project's default ones: an admin's, even under a delegated domain.
    const outside = (host: string) => !project.delegates(host) || this.hosts.underAppsDomain(host);
    if (!byAdmin && given(routes, outside) !== given(project.routes, outside)) {
      const under = project.domains.length > 0 ? `, outside ${project.domains.join(', ')}` : '';
      throw new Forbidden(
        `only an admin gives, takes or moves a route's own host names${under}; the first route has the default one`,
      );
    }
    if (!byAdmin) await this.quota.check(org, repo, project.routes, routes);
    const wanted = this.hosts.of(org, repo, routes).flat();
    const twice = wanted.filter((host, i) => wanted.indexOf(host) !== i);
    if (twice.length > 0)
      throw new InvalidInput(`a host name is in one route only: ${[...new Set(twice)].join(', ')}`);
    const others = (await this.desired.projects()).filter(({ _id }) => _id !== projectKey(org, repo));
    const held = new Map<string, string>();
    for (const [key, claim] of this.desired.claims(others)) {
      for (const host of claim.perRoute.flat()) held.set(host, key);
    }
    const delegations = await this.delegated.others(projectKey(org, repo));
    const clashes = routes
      .flatMap(({ hosts }) => hosts)
      .flatMap((host) => {
        if (held.has(host)) return [`${host} is ${held.get(host)}'s`];
        const delegation = delegations.find(({ domain }) => isUnder(host, domain));
        return delegation
          ? [`${host} is under ${delegation.domain}, delegated to ${delegation.project}`]
          : [];
      });
    if (clashes.length > 0) throw new Conflict(`a host name belongs to one project: ${clashes.join('; ')}`);
    project.set(routes);
    if (project.pendingEvents.length > 0) await this.recorder.saveAs(streamId, project, actor);
    return project;
  }
}
