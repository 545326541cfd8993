import { Injectable, Logger } from '@nestjs/common';
import { Db } from 'mongodb';

interface TokenUse {
  _id: string;
  lastUsedAt: Date;
}

/** How often one token's last use is written at most: a busy client does not write on every request. */
const RESOLUTION_MS = 60_000;

/**
 * When each named token was last used, to the minute. Not an event: a use is not an action anyone took, and
 * an event per request would drown the log. Kept in its own collection, written at most once a minute per
 * token and never waited for, so a request is not slowed by it and a failed write loses only a time.
 */
@Injectable()
export class TokenUses {
  private readonly logger = new Logger(TokenUses.name);
  private readonly written = new Map<string, number>();

  constructor(private readonly db: Db) {}

  used(tokenId: string): void {
    const now = Date.now();
    if (now - (this.written.get(tokenId) ?? 0) < RESOLUTION_MS) return;
    this.written.set(tokenId, now);
    this.uses()
      .updateOne({ _id: tokenId }, { $set: { lastUsedAt: new Date(now) } }, { upsert: true })
      .catch((error: Error) => this.logger.warn(`recording a use of token ${tokenId}: ${error.message}`));
  }

  async lastUsed(tokenIds: string[]): Promise<Map<string, Date>> {
    const uses = await this.uses()
      .find({ _id: { $in: tokenIds } })
      .toArray();
    return new Map(uses.map(({ _id, lastUsedAt }) => [_id, lastUsedAt]));
  }

  private uses() {
    return this.db.collection<TokenUse>('token_uses');
  }
}
