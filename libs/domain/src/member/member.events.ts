import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

export type MemberRole = 'member' | 'admin';

/**
 * A member of the community got an account: a name, a role and an API token, of which only the SHA-256 digest
 * is recorded (the token itself is shown once, to whoever added the member). `memberId` is who they are: a
 * member removed and added again under the same name is a new member, with a new id, and owns nothing of the
 * old one's.
 */
export type MemberAdded = DomainEvent<
  'MemberAdded',
  { name: string; memberId: string; role: MemberRole; tokenDigest: string }
>;

/** The member's token was replaced: the old one stops working. */
export type MemberTokenReplaced = DomainEvent<'MemberTokenReplaced', { name: string; tokenDigest: string }>;

export type MemberRoleChanged = DomainEvent<'MemberRoleChanged', { name: string; role: MemberRole }>;

/** What a named token may do: `read` only reads (GET), `full` whatever its member may. */
export type TokenScope = 'read' | 'full';

/**
 * The member made a named API token of their own: only its SHA-256 digest is recorded (the token is answered
 * once), with its scope and expiry.
 */
export type MemberTokenIssued = DomainEvent<
  'MemberTokenIssued',
  { name: string; tokenId: string; label: string; tokenDigest: string; scope: TokenScope; expiresAt: string }
>;

/** A named token was revoked: it stops working. */
export type MemberTokenRevoked = DomainEvent<'MemberTokenRevoked', { name: string; tokenId: string }>;

/** The account is gone, and its tokens with it. */
export type MemberRemoved = DomainEvent<'MemberRemoved', { name: string }>;

export type MemberEvent =
  | MemberAdded
  | MemberTokenReplaced
  | MemberRoleChanged
  | MemberRemoved
  | MemberTokenIssued
  | MemberTokenRevoked;

export const isMemberEvent = eventGuard<MemberEvent>([
  'MemberAdded',
  'MemberTokenReplaced',
  'MemberRoleChanged',
  'MemberRemoved',
  'MemberTokenIssued',
  'MemberTokenRevoked',
]);
