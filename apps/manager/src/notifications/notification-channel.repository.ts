import { Injectable } from '@nestjs/common';
import { ChannelScope, NotificationChannel } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** Loads a NotificationChannel from its stream and saves what it decided, as `actor`. */
@Injectable()
export class NotificationChannelRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(channelId: string, scope: ChannelScope): Promise<NotificationChannel> {
    return this.recorder.load(
      new NotificationChannel(channelId, scope),
      NotificationChannel.streamId(channelId, scope),
    );
  }

  async save(channel: NotificationChannel, actor: string): Promise<void> {
    await this.recorder.saveAs(
      NotificationChannel.streamId(channel.channelId, channel.scope),
      channel,
      actor,
    );
  }
}
