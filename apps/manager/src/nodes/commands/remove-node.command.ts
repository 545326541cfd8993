import { Command } from '@nestjs/cqrs';

/** An admin takes a node out of the registry; the Manager stops dialling it. */
export class RemoveNodeCommand extends Command<void> {
  constructor(
    readonly name: string,
    readonly actor: string,
  ) {
    super();
  }
}
