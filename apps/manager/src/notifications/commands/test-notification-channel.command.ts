import { Command } from '@nestjs/cqrs';
import { ChannelScope } from '@testausdeploy/domain';

/** Someone asks for a test message on a channel: recorded, and delivered from the log as any other. */
export class TestNotificationChannelCommand extends Command<void> {
  constructor(
    readonly channelId: string,
    readonly scope: ChannelScope,
    readonly actor: string,
  ) {
    super();
  }
}
