import { Command } from '@nestjs/cqrs';
import { ChannelScope } from '@testausdeploy/domain';

/** The channel hears of nothing more; what is queued for it is cancelled. */
export class RemoveNotificationChannelCommand extends Command<void> {
  constructor(
    readonly channelId: string,
    readonly scope: ChannelScope,
    readonly actor: string,
  ) {
    super();
  }
}
