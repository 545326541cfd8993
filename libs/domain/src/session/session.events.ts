import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * Someone traded an API token for a dashboard session. Recorded: who (`actor`, and `memberId` for a member), when
 * it ends, and the SHA-256 digest of the session's secret (the cookie's value is a random 256-bit secret, never
 * recorded; its digest is what the Manager looks a cookie up by, as it does members' tokens).
 */
export type SignedIn = DomainEvent<
  'SignedIn',
  {
    sessionId: string;
    actor: string;
    memberId: string | null;
    secretDigest: string;
    expiresAt: string;
    /** The member's named token it was opened with, if one: revoking it ends the session. */
    tokenId?: string;
  }
>;

/** The session's holder signed out: its cookie stops working at once. */
export type SignedOut = DomainEvent<'SignedOut', { sessionId: string; actor: string }>;

/** The session reached its expiry (noticed when it was next used, or by the Manager's sweep). */
export type SessionExpired = DomainEvent<'SessionExpired', { sessionId: string; actor: string }>;

export type SessionEvent = SignedIn | SignedOut | SessionExpired;

export const isSessionEvent = eventGuard<SessionEvent>(['SignedIn', 'SignedOut', 'SessionExpired']);
