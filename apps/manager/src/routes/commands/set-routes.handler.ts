import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { KeyedLock } from '@testausdeploy/service';
import { Conflict, Forbidden, ProjectRoutes } from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { ProjectRemovals } from '../../projects/project-removals';
import { DesiredRoutes } from '../desired-routes';
import { RouteHosts } from '../route-hosts';
import { SetRoutesCommand } from './set-routes.command';

/**
 * Sets a project's routes. A host name belongs to one project at a time: one another project answers at (its
 * default one too) is refused, naming whose it is. Host names of a route's own are an admin's to give or take.
 */
@CommandHandler(SetRoutesCommand)
export class SetRoutesHandler implements ICommandHandler<SetRoutesCommand> {
  /** One change of routes at a time, of any project: two cannot both take a host name that was free. */
  private readonly lock = new KeyedLock();

  constructor(
    private readonly recorder: EventRecorder,
    private readonly desired: DesiredRoutes,
    private readonly hosts: RouteHosts,
    private readonly removals: ProjectRemovals,
  ) {}

  execute(command: SetRoutesCommand): Promise<ProjectRoutes> {
    return this.lock.run('routes', () => this.set(command));
  }

  private async set({ org, repo, routes, actor, byAdmin }: SetRoutesCommand): Promise<ProjectRoutes> {
    this.removals.ensureNotRemoving(org, repo);
    const streamId = ProjectRoutes.streamId(org, repo);
    const project = await this.recorder.load(new ProjectRoutes(org, repo), streamId);
    const own = (list: { hosts: string[] }[]) => JSON.stringify(list.flatMap(({ hosts }) => hosts).sort());
    if (!byAdmin && own(routes) !== own(project.routes)) {
      throw new Forbidden(
        'only an admin gives a route host names of its own; the first route has the default one',
      );
    }
    const taken = new Map<string, string>();
    for (const other of await this.desired.projects()) {
      if (other.org === org && other.repo === repo) continue;
      for (const host of this.hosts.of(other.org, other.repo, other.routes).flat()) {
        taken.set(host, `${other.org}/${other.repo}`);
      }
    }
    const clashes = this.hosts
      .of(org, repo, routes)
      .flat()
      .flatMap((host) => (taken.has(host) ? [`${host} is ${taken.get(host)}'s`] : []));
    if (clashes.length > 0) throw new Conflict(`a host name belongs to one project: ${clashes.join('; ')}`);
    project.set(routes);
    if (project.pendingEvents.length > 0) await this.recorder.saveAs(streamId, project, actor);
    return project;
  }
}
