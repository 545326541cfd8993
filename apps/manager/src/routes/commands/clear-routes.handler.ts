import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProjectRoutes } from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { RouteChanges } from '../route-changes';
import { ClearRoutesCommand } from './clear-routes.command';

@CommandHandler(ClearRoutesCommand)
export class ClearRoutesHandler implements ICommandHandler<ClearRoutesCommand> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly changes: RouteChanges,
  ) {}

  execute({ org, repo, actor }: ClearRoutesCommand): Promise<void> {
    return this.changes.run(async () => {
      const streamId = ProjectRoutes.streamId(org, repo);
      const routes = await this.recorder.load(new ProjectRoutes(org, repo), streamId);
      routes.clear();
      if (routes.pendingEvents.length > 0) await this.recorder.saveAs(streamId, routes, actor);
    });
  }
}
