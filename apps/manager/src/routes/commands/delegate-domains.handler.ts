import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict, isUnder, ProjectRoutes } from '@testausdeploy/domain';
import { ManagerConfig } from '../../config/manager-config';
import { EventRecorder } from '../../events/event-recorder';
import { ProjectRemovals } from '../../projects/project-removals';
import { projectKey } from '../../projects/projections/project-view';
import { DelegatedDomains, delegationOf } from '../delegated-domains';
import { DesiredRoutes } from '../desired-routes';
import { RouteChanges } from '../route-changes';
import { DelegateDomainsCommand } from './delegate-domains.command';

/**
 * Delegates domains to a project: its maintainers then give its routes host names under them. A domain is one
 * project's: one at, above or below another project's delegated domain is refused, and so is one under which another
 * project answers now, or the apps domain, whose names are every project's default ones.
 */
@CommandHandler(DelegateDomainsCommand)
export class DelegateDomainsHandler implements ICommandHandler<DelegateDomainsCommand> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly delegated: DelegatedDomains,
    private readonly desired: DesiredRoutes,
    private readonly removals: ProjectRemovals,
    private readonly changes: RouteChanges,
    private readonly config: ManagerConfig,
  ) {}

  execute(command: DelegateDomainsCommand): Promise<ProjectRoutes> {
    return this.changes.run(() => this.delegate(command));
  }

  private async delegate({ org, repo, domains, actor }: DelegateDomainsCommand): Promise<ProjectRoutes> {
    this.removals.ensureNotRemoving(org, repo);
    const streamId = ProjectRoutes.streamId(org, repo);
    const project = await this.recorder.load(new ProjectRoutes(org, repo), streamId);
    const key = projectKey(org, repo);
    const others = await this.delegated.others(key);
    const answering = this.desired.claims((await this.desired.projects()).filter(({ _id }) => _id !== key));
    const apps = this.config.APPS_DOMAIN?.toLowerCase();
    const clashes = domains.flatMap((domain) => {
      const delegation = delegationOf(domain, others);
      if (delegation) return [`${domain} meets ${delegation.domain}, delegated to ${delegation.project}`];
      if (apps && (isUnder(domain, apps) || isUnder(apps, domain)))
        return [`${domain} meets the apps domain ${apps}, whose names are the projects' default ones`];
      const held = [...answering].flatMap(([other, claim]) =>
        claim.perRoute.flat().flatMap((host) => (isUnder(host, domain) ? [`${host} (${other})`] : [])),
      );
      return held.length > 0 ? [`under ${domain}, another project answers at ${held.join(', ')}`] : [];
    });
    project.delegate(domains);
    if (clashes.length > 0) throw new Conflict(`a domain is one project's: ${clashes.join('; ')}`);
    if (project.pendingEvents.length > 0) await this.recorder.saveAs(streamId, project, actor);
    return project;
  }
}
