import { MemberRole } from '@testausdeploy/domain';

export class AddMemberCommand {
  constructor(
    readonly name: string,
    readonly role: MemberRole,
    readonly actor: string,
  ) {}
}
