import { Injectable } from '@nestjs/common';
import { NotFound, TokenScope } from '@testausdeploy/domain';
import { MemberDirectory } from './member-directory';
import { TokenUses } from './token-uses';

/** A named token as it is listed: never the token, nor its digest. */
export interface ListedToken {
  id: string;
  name: string;
  scope: TokenScope;
  issuedAt: Date;
  expiresAt: Date;
  expired: boolean;
  /** To the minute; null if never used. */
  lastUsedAt: Date | null;
}

/** Lists a member's named tokens with when each was last used. */
@Injectable()
export class MemberTokens {
  constructor(
    private readonly members: MemberDirectory,
    private readonly uses: TokenUses,
  ) {}

  async of(name: string): Promise<ListedToken[]> {
    const member = await this.members.find(name);
    if (!member) throw new NotFound(`member "${name}" does not exist`);
    const lastUsed = await this.uses.lastUsed(member.tokens.map(({ tokenId }) => tokenId));
    const now = Date.now();
    return member.tokens.map(({ tokenId, label, scope, issuedAt, expiresAt }) => ({
      id: tokenId,
      name: label,
      scope,
      issuedAt,
      expiresAt,
      expired: expiresAt.getTime() <= now,
      lastUsedAt: lastUsed.get(tokenId) ?? null,
    }));
  }
}
