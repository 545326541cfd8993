import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotificationChannelRepository } from '../notification-channel.repository';
import { RemoveNotificationChannelCommand } from './remove-notification-channel.command';

@CommandHandler(RemoveNotificationChannelCommand)
export class RemoveNotificationChannelHandler implements ICommandHandler<RemoveNotificationChannelCommand> {
  constructor(private readonly repository: NotificationChannelRepository) {}

  async execute({ channelId, scope, actor }: RemoveNotificationChannelCommand) {
    const channel = await this.repository.load(channelId, scope);
    channel.remove();
    await this.repository.save(channel, actor);
  }
}
