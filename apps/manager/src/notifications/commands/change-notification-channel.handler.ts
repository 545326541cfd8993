import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ChannelSecrets, checkTopics } from '../channel-secrets';
import { NotificationChannelRepository } from '../notification-channel.repository';
import { ChangeNotificationChannelCommand } from './change-notification-channel.command';

@CommandHandler(ChangeNotificationChannelCommand)
export class ChangeNotificationChannelHandler implements ICommandHandler<ChangeNotificationChannelCommand> {
  constructor(
    private readonly repository: NotificationChannelRepository,
    private readonly secrets: ChannelSecrets,
  ) {}

  async execute({ channel: view, change: { name, url, topics }, actor }: ChangeNotificationChannelCommand) {
    const scope = { org: view.org, repo: view.repo };
    if (topics) checkTopics(scope, topics);
    const target = url === undefined ? {} : await this.secrets.target(view.channelId, scope, view.kind, url);
    const channel = await this.repository.load(view.channelId, scope);
    channel.change({ name, topics, ...target });
    await this.repository.save(channel, actor);
  }
}
