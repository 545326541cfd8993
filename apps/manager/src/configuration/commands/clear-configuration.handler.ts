import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProjectConfiguration } from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { ClearConfigurationCommand } from './clear-configuration.command';

@CommandHandler(ClearConfigurationCommand)
export class ClearConfigurationHandler implements ICommandHandler<ClearConfigurationCommand> {
  constructor(private readonly recorder: EventRecorder) {}

  async execute({ org, repo, actor }: ClearConfigurationCommand): Promise<void> {
    const streamId = ProjectConfiguration.streamId(org, repo);
    const configuration = await this.recorder.load(new ProjectConfiguration(org, repo), streamId);
    configuration.clear();
    if (configuration.pendingEvents.length > 0) await this.recorder.saveAs(streamId, configuration, actor);
  }
}
