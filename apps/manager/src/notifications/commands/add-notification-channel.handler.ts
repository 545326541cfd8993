import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ChannelScope, Conflict, NotificationChannel } from '@testausdeploy/domain';
import { ReadModels } from '../../events/read-models';
import { ProjectRemovals } from '../../projects/project-removals';
import { ChannelSecrets, checkTopics } from '../channel-secrets';
import { NotificationChannelRepository } from '../notification-channel.repository';
import { NotificationChannelView } from '../projections/notification-channel-view';
import { NOTIFICATION_CHANNELS } from '../projections/notification-channels.projection';
import { AddNotificationChannelCommand } from './add-notification-channel.command';

/** The most channels a project, or the server, may have: each event is sent to every one of them. */
export const MAX_CHANNELS = 10;

@CommandHandler(AddNotificationChannelCommand)
export class AddNotificationChannelHandler implements ICommandHandler<AddNotificationChannelCommand> {
  constructor(
    private readonly repository: NotificationChannelRepository,
    private readonly secrets: ChannelSecrets,
    private readonly readModels: ReadModels,
    private readonly removals: ProjectRemovals,
  ) {}

  async execute({ scope, channel: { name, kind, url, topics }, actor }: AddNotificationChannelCommand) {
    if (scope.org && scope.repo) this.removals.ensureNotRemoving(scope.org, scope.repo);
    checkTopics(scope, topics);
    await this.checkRoom(scope);
    const channelId = randomUUID();
    const { host, target } = await this.secrets.target(channelId, scope, kind, url);
    const signing = kind === 'webhook' ? await this.secrets.signingSecret(channelId, scope) : null;
    const channel = new NotificationChannel(channelId, scope);
    channel.add({ kind, name, topics, host, target, signingSecret: signing?.sealed ?? null });
    await this.repository.save(channel, actor);
    return { channelId, signingSecret: signing?.secret ?? null };
  }

  private async checkRoom({ org, repo }: ChannelScope): Promise<void> {
    const held = await this.readModels
      .collection<NotificationChannelView>(NOTIFICATION_CHANNELS)
      .countDocuments({ org, repo });
    if (held >= MAX_CHANNELS) {
      const whose = org ? `${org}/${repo}` : 'the server';
      throw new Conflict(`${whose} has ${held} channels, the most it may have: remove one first`);
    }
  }
}
