import { Command } from '@nestjs/cqrs';

/** An admin ends a member's role on a project. */
export class RevokeProjectRoleCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly member: string,
    readonly actor: string,
  ) {
    super();
  }
}
