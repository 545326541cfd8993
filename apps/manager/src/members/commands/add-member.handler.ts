import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberRepository } from '../member.repository';
import { newMemberToken } from '../member-token';
import { AddMemberCommand } from './add-member.command';

/** Adds a member and answers with their token: the only time it is shown. */
@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({ name, role, actor }: AddMemberCommand) {
    const member = await this.repository.load(name);
    const { token, tokenDigest } = newMemberToken();
    member.add(role, tokenDigest, randomUUID());
    await this.repository.save(member, actor);
    return { name, role, token };
  }
}
