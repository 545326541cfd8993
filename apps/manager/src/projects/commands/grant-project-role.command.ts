import { Command } from '@nestjs/cqrs';
import { ProjectRole } from '@testausdeploy/domain';

/** An admin gives a member a role on a project (or a new role in place of the one they hold). */
export class GrantProjectRoleCommand extends Command<{ member: string; role: ProjectRole }> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly member: string,
    readonly role: ProjectRole,
    readonly actor: string,
  ) {
    super();
  }
}
