import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberRepository } from '../member.repository';
import { RevokeMemberTokenCommand } from './revoke-member-token.command';

@CommandHandler(RevokeMemberTokenCommand)
export class RevokeMemberTokenHandler implements ICommandHandler<RevokeMemberTokenCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({ member: name, tokenId, actor }: RevokeMemberTokenCommand): Promise<void> {
    const member = await this.repository.load(name);
    member.revokeToken(tokenId);
    await this.repository.save(member, actor);
  }
}
