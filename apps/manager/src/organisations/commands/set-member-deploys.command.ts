import { Command } from '@nestjs/cqrs';

/** An admin lets any member deploy new repositories of an organisation, or stops it. */
export class SetMemberDeploysCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly allowed: boolean,
    readonly actor: string,
  ) {
    super();
  }
}
