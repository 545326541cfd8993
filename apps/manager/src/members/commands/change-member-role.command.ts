import { MemberRole } from '@testausdeploy/domain';

export class ChangeMemberRoleCommand {
  constructor(
    readonly name: string,
    readonly role: MemberRole,
    readonly actor: string,
  ) {}
}
