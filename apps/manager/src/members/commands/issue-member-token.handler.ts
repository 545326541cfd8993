import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { MemberRepository } from '../member.repository';
import { newMemberToken } from '../member-token';
import { IssueMemberTokenCommand, IssuedToken } from './issue-member-token.command';

const DAY_MS = 86_400_000;

@CommandHandler(IssueMemberTokenCommand)
export class IssueMemberTokenHandler implements ICommandHandler<IssueMemberTokenCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({
    member: name,
    label,
    scope,
    expiresInDays,
    actor,
  }: IssueMemberTokenCommand): Promise<IssuedToken> {
    const member = await this.repository.load(name);
    const { token, tokenDigest } = newMemberToken();
    const tokenId = randomUUID();
    const expiresAt = new Date(Date.now() + expiresInDays * DAY_MS);
    member.issueToken({ tokenId, label, tokenDigest, scope, expiresAt });
    await this.repository.save(member, actor);
    return { id: tokenId, name: label, scope, expiresAt, token };
  }
}
