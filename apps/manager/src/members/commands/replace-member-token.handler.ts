import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberRepository } from '../member.repository';
import { newMemberToken } from '../member-token';
import { ReplaceMemberTokenCommand } from './replace-member-token.command';

/** Gives a member a new token (shown once); the old one stops working. */
@CommandHandler(ReplaceMemberTokenCommand)
export class ReplaceMemberTokenHandler implements ICommandHandler<ReplaceMemberTokenCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({ name, actor }: ReplaceMemberTokenCommand) {
    const member = await this.repository.load(name);
    const { token, tokenDigest } = newMemberToken();
    member.replaceToken(tokenDigest);
    await this.repository.save(member, actor);
    return { name, token };
  }
}
