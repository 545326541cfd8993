import { Command } from '@nestjs/cqrs';

/** Every channel of the project is removed (the project is): what is queued for them is cancelled. */
export class RemoveProjectChannelsCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly actor: string,
  ) {
    super();
  }
}
