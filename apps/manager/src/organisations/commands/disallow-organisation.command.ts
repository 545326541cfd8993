import { Command } from '@nestjs/cqrs';

/** An admin stops new deployments from an organisation's repositories. */
export class DisallowOrganisationCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly actor: string,
  ) {
    super();
  }
}
