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

/** Where a member can sign in besides their tokens: GitHub, or the OpenID Connect provider configured. */
export type IdentityProvider = 'github' | 'oidc';

/**
 * The member signs in as this account of a provider: an admin links it by its login (GitHub's login, the OIDC
 * provider's `preferred_username`); the account's stable `subject` (GitHub's user id, the ID token's `sub`) is
 * recorded at its first sign-in, and from then on decides, so a login renamed and taken by someone else is not
 * them.
 */
export type MemberIdentityLinked = DomainEvent<
  'MemberIdentityLinked',
  { name: string; provider: IdentityProvider; login: string; subject?: string }
>;

/** The account is gone, and its tokens with it. */
export type MemberRemoved = DomainEvent<'MemberRemoved', { name: string }>;

export type MemberEvent =
  | MemberAdded
  | MemberTokenReplaced
  | MemberRoleChanged
  | MemberRemoved
  | MemberTokenIssued
  | MemberTokenRevoked
  | MemberIdentityLinked;

export const isMemberEvent = eventGuard<MemberEvent>([
  'MemberAdded',
  'MemberTokenReplaced',
  'MemberRoleChanged',
  'MemberRemoved',
  'MemberTokenIssued',
  'MemberTokenRevoked',
  'MemberIdentityLinked',
]);
