import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CommandBus } from '@nestjs/cqrs';
import { timingSafeEqual } from 'node:crypto';
import { ManagerConfig } from '../config/manager-config';
import { MemberDirectory } from '../members/member-directory';
import { tokenDigest } from '../members/member-token';
import { MemberTokenView, MemberView } from '../members/projections/member-view';
import { TokenUses } from '../members/token-uses';
import { EndSessionCommand } from '../sessions/commands/end-session.command';
import { secretDigest, sessionSecret } from '../sessions/session-cookie';
import { SessionDirectory } from '../sessions/session-directory';
import { Caller } from './caller';

/** A session cookie's caller, or why the session no longer lets anyone in. */
export type SessionCaller = { caller: Caller; session: OpenSession } | { problem: string };

/** A request's caller (with the session it came with, null for a bearer token), or why it has none. */
export type RequestCaller = { caller: Caller; session: OpenSession | null } | { problem: string };

/** The session a request came with. */
export interface OpenSession {
  id: string;
  expiresAt: Date;
}

/**
 * Finds who is calling: from an API token (the admin's from the configuration, members' by their SHA-256
 * digest, account tokens and named ones) or from a dashboard session's secret. A member's session follows the
 * member: their current role, and it ends when they are removed, their account's token is replaced, or the named
 * token it was opened with is revoked (its expiry bounds the session's).
 */
@Injectable()
export class Callers {
  private readonly adminTokenDigest: Buffer;

  constructor(
    private readonly members: MemberDirectory,
    private readonly sessions: SessionDirectory,
    private readonly commands: CommandBus,
    private readonly tokenUses: TokenUses,
    config: ManagerConfig,
  ) {
    this.adminTokenDigest = Buffer.from(tokenDigest(config.ADMIN_TOKEN), 'hex');
  }

  /**
   * Who sent `request`: an `Authorization: Bearer` token names them, or else a dashboard session cookie. Asked
   * again during a long answer (a live event stream) so that it ends when the caller no longer gets in.
   */
  async ofRequest(request: Request): Promise<RequestCaller> {
    const authorization = request.headers.authorization;
    const secret = authorization === undefined ? sessionSecret(request) : null;
    if (secret !== null) return this.bySession(secret);
    const [scheme, token] = (authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) {
      return { problem: 'send your token as "Authorization: Bearer <token>", or sign in on the dashboard' };
    }
    const found = await this.byToken(token);
    return 'problem' in found ? found : { caller: found.caller, session: null };
  }

  /** Who `token` is: the admin, a member by their account's token or by one of their named tokens. */
  async byToken(token: string): Promise<{ caller: Caller; expiresAt: Date | null } | { problem: string }> {
    const digest = tokenDigest(token);
    // Comparing fixed-length digests keeps the comparison constant-time whatever the token's length.
    if (timingSafeEqual(Buffer.from(digest, 'hex'), this.adminTokenDigest))
      return { caller: ADMIN, expiresAt: null };
    const member = await this.members.byTokenDigest(digest);
    if (!member) return { problem: 'the token is not valid' };
    if (member.tokenDigest === digest) return { caller: memberCaller(member, null), expiresAt: null };
    const named = member.tokens.find((one) => one.tokenDigest === digest) as MemberTokenView;
    if (named.expiresAt.getTime() <= Date.now()) {
      return { problem: `the token "${named.label}" expired at ${named.expiresAt.toISOString()}` };
    }
    this.tokenUses.used(named.tokenId);
    return { caller: memberCaller(member, named), expiresAt: named.expiresAt };
  }

  async bySession(secret: string): Promise<SessionCaller> {
    const session = await this.sessions.bySecretDigest(secretDigest(secret));
    if (!session) return { problem: 'this session has ended: sign in again' };
    if (session.expiresAt.getTime() <= Date.now()) {
      // Recorded here when it is used after its expiry, else by the sweep; a failure to record it refuses all the same.
      await this.commands
        .execute(new EndSessionCommand(session._id, 'expired', session.actor))
        .catch(() => undefined);
      return { problem: `this session expired at ${session.expiresAt.toISOString()}: sign in again` };
    }
    const open = { id: session._id, expiresAt: session.expiresAt };
    if (!session.memberId) return { caller: ADMIN, session: open };
    const member = await this.members.byId(session.memberId);
    if (!member) return { problem: 'the member this session was for has been removed' };
    if (member.tokenReplacedAt && member.tokenReplacedAt > session.startedAt) {
      return { problem: "this member's token was replaced after the session began: sign in again" };
    }
    if (!session.tokenId) return { caller: memberCaller(member, null), session: open };
    const named = member.tokens.find(({ tokenId }) => tokenId === session.tokenId);
    if (!named) return { problem: 'the token this session was opened with has been revoked: sign in again' };
    this.tokenUses.used(named.tokenId);
    return { caller: memberCaller(member, named), session: open };
  }
}

const ADMIN: Caller = {
  actor: 'admin',
  role: 'admin',
  member: null,
  memberId: null,
  scope: 'full',
  tokenId: null,
};

/** The caller a member is: with a named token, that token's id and scope; else full. */
export function memberCaller(member: MemberView, named: MemberTokenView | null): Caller {
  return {
    actor: `member:${member.name}`,
    role: member.role,
    member: member.name,
    memberId: member.memberId,
    scope: named?.scope ?? 'full',
    tokenId: named?.tokenId ?? null,
  };
}
