import { Command } from '@nestjs/cqrs';
import { ChannelKind, ChannelScope, NotificationTopic } from '@testausdeploy/domain';

export interface AddedChannel {
  channelId: string;
  /** A generic webhook's signing secret: in this answer only, never again. */
  signingSecret: string | null;
}

/** A channel for the server or a project; its URL and signing secret are sealed before anything is recorded. */
export class AddNotificationChannelCommand extends Command<AddedChannel> {
  constructor(
    readonly scope: ChannelScope,
    readonly channel: { name: string; kind: ChannelKind; url: string; topics: NotificationTopic[] },
    readonly actor: string,
  ) {
    super();
  }
}
