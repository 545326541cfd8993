import { Module } from '@nestjs/common';
import { ChannelAccess } from './channel-access';
import { ChannelDirectory } from './channel-directory';
import { ChannelSecrets } from './channel-secrets';
import { AddNotificationChannelHandler } from './commands/add-notification-channel.handler';
import { ChangeNotificationChannelHandler } from './commands/change-notification-channel.handler';
import { RemoveNotificationChannelHandler } from './commands/remove-notification-channel.handler';
import { RemoveProjectChannelsHandler } from './commands/remove-project-channels.handler';
import { TestNotificationChannelHandler } from './commands/test-notification-channel.handler';
import { NotificationDeliveries } from './delivery/notification-deliveries';
import { NotificationOutbox } from './delivery/notification-outbox';
import { NotificationSender } from './delivery/notification-sender';
import { NotificationTargets } from './delivery/notification-targets';
import { NotificationChannelRepository } from './notification-channel.repository';
import { Notices } from './notices';
import { NotificationsController } from './notifications.controller';
import { NotificationChannelsProjection } from './projections/notification-channels.projection';

/** Notification channels and their delivery: an outbox that follows the log, a sender that retries. */
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationChannelsProjection,
    NotificationChannelRepository,
    ChannelAccess,
    ChannelDirectory,
    ChannelSecrets,
    NotificationTargets,
    NotificationDeliveries,
    Notices,
    NotificationOutbox,
    NotificationSender,
    AddNotificationChannelHandler,
    ChangeNotificationChannelHandler,
    RemoveNotificationChannelHandler,
    RemoveProjectChannelsHandler,
    TestNotificationChannelHandler,
  ],
})
export class NotificationsModule {}
