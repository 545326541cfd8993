import { Command } from '@nestjs/cqrs';

/** The project goes, with everything of it; `actor` is who removed it. */
export class RemoveProjectCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly actor: string,
  ) {
    super();
  }
}
