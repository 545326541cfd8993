import { Command } from '@nestjs/cqrs';

/** An admin lets members deploy the repositories of an organisation. */
export class AllowOrganisationCommand extends Command<{ org: string }> {
  constructor(
    readonly org: string,
    readonly actor: string,
  ) {
    super();
  }
}
