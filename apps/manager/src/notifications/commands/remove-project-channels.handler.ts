import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { NotificationChannelView } from '../projections/notification-channel-view';
import { NOTIFICATION_CHANNELS } from '../projections/notification-channels.projection';
import { RemoveNotificationChannelCommand } from './remove-notification-channel.command';
import { RemoveProjectChannelsCommand } from './remove-project-channels.command';

@CommandHandler(RemoveProjectChannelsCommand)
export class RemoveProjectChannelsHandler implements ICommandHandler<RemoveProjectChannelsCommand> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
  ) {}

  async execute({ org, repo, actor }: RemoveProjectChannelsCommand): Promise<void> {
    const channels = await this.readModels
      .collection<NotificationChannelView>(NOTIFICATION_CHANNELS)
      .find({ org, repo }, { projection: { _id: 1 } })
      .toArray();
    for (const { _id } of channels) {
      await this.commands.execute(new RemoveNotificationChannelCommand(_id, { org, repo }, actor));
    }
  }
}
