import { Injectable } from '@nestjs/common';
import { IndexDescription } from 'mongodb';
import { isNotificationChannelEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { NotificationChannelView } from './notification-channel-view';

export const NOTIFICATION_CHANNELS = 'notification_channels';

/** The notification channels there are now, each with its topics and its sealed URL. */
@Injectable()
export class NotificationChannelsProjection extends RegisteredProjection<NotificationChannelView> {
  readonly name = NOTIFICATION_CHANNELS;
  readonly version = 1;
  readonly indexes: IndexDescription[] = [{ key: { org: 1, repo: 1 } }];

  async apply(event: StoredEvent, views: Views<NotificationChannelView>): Promise<void> {
    if (!isNotificationChannelEvent(event)) return;
    const { position } = event;
    const at = event.metadata.time;
    const view = await views.get(event.data.channelId);
    // An event seen again after a crash is not newer than what the view already shows.
    if (view && view.position >= position) return;
    switch (event.type) {
      case 'NotificationChannelAdded':
        views.put({
          _id: event.data.channelId,
          ...event.data,
          addedBy: event.metadata.actor,
          addedAt: at,
          changedAt: at,
          since: position,
          position,
        });
        return;
      case 'NotificationChannelChanged': {
        if (!view) return;
        const { name = view.name, topics = view.topics, host = view.host, target = view.target } = event.data;
        views.put({ ...view, name, topics, host, target, changedAt: at, position });
        return;
      }
      case 'NotificationChannelRemoved':
        views.delete(event.data.channelId);
        return;
    }
  }
}
