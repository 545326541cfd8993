import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotificationChannelRepository } from '../notification-channel.repository';
import { TestNotificationChannelCommand } from './test-notification-channel.command';

@CommandHandler(TestNotificationChannelCommand)
export class TestNotificationChannelHandler implements ICommandHandler<TestNotificationChannelCommand> {
  constructor(private readonly repository: NotificationChannelRepository) {}

  async execute({ channelId, scope, actor }: TestNotificationChannelCommand) {
    const channel = await this.repository.load(channelId, scope);
    channel.test(new Date());
    await this.repository.save(channel, actor);
  }
}
