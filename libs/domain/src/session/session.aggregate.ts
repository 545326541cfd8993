import { AggregateRoot } from '../aggregate-root';
import { Conflict } from '../errors';
import { SessionEvent } from './session.events';

/** One dashboard session, one stream: started once, then ended once, by its holder or by its expiry. */
export class Session extends AggregateRoot<SessionEvent> {
  private actor: string | null = null;
  private ended = false;

  constructor(readonly sessionId: string) {
    super();
  }

  static streamId(sessionId: string): string {
    return `session-${sessionId}`;
  }

  start(
    actor: string,
    memberId: string | null,
    secretDigest: string,
    expiresAt: Date,
    tokenId: string | null,
  ): void {
    if (this.actor) throw new Conflict(`session ${this.sessionId} already exists`);
    const data = {
      sessionId: this.sessionId,
      actor,
      memberId,
      secretDigest,
      expiresAt: expiresAt.toISOString(),
    };
    this.record({ type: 'SignedIn', data: tokenId ? { ...data, tokenId } : data });
  }

  /** Ends it at its holder's request; false when it had already ended (nothing is recorded twice). */
  signOut(): boolean {
    return this.end('SignedOut');
  }

  /** Ends it at its expiry; false when it had already ended. */
  expire(): boolean {
    return this.end('SessionExpired');
  }

  private end(type: 'SignedOut' | 'SessionExpired'): boolean {
    if (!this.actor || this.ended) return false;
    this.record({ type, data: { sessionId: this.sessionId, actor: this.actor } });
    return true;
  }

  protected apply(event: SessionEvent): void {
    if (event.type === 'SignedIn') this.actor = event.data.actor;
    else this.ended = true;
  }
}
