import { Command } from '@nestjs/cqrs';
import { NotificationTopic } from '@testausdeploy/domain';
import { NotificationChannelView } from '../projections/notification-channel-view';

/** A channel's name, topics or URL change; its kind and scope stay. */
export class ChangeNotificationChannelCommand extends Command<void> {
  constructor(
    readonly channel: NotificationChannelView,
    readonly change: { name?: string; url?: string; topics?: NotificationTopic[] },
    readonly actor: string,
  ) {
    super();
  }
}
