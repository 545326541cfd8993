import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberRepository } from '../member.repository';
import { ChangeMemberRoleCommand } from './change-member-role.command';

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({ name, role, actor }: ChangeMemberRoleCommand) {
    const member = await this.repository.load(name);
    member.changeRole(role);
    await this.repository.save(member, actor);
    return { name, role };
  }
}
