import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { originProblem } from '../sessions/session-cookie';
import { Caller } from './caller';
import { Callers, OpenSession } from './callers';
import { FOR_MEMBERS } from './for-members.decorator';
import { IS_PUBLIC } from './public.decorator';

export interface AuthenticatedRequest extends Request {
  actor: string;
  caller: Caller;
  /** The dashboard session the request came with; null for a bearer token. */
  session: OpenSession | null;
}

/** Methods that only read: everything else changes state, so a cookie must not carry it across sites. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Secure by default: every route needs a caller unless marked @Public(), and an admin unless marked
 * @ForMembers() (those routes then check what the member owns). A caller is who an `Authorization: Bearer`
 * token names, or else who a dashboard session cookie names; a request that changes state with the cookie must
 * come from the dashboard's own origin (on top of the cookie's SameSite=Strict).
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly callers: Callers,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const marked = (key: string) =>
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
    if (marked(IS_PUBLIC)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { caller, session } = await this.authenticate(request);
    if (caller.role !== 'admin' && !marked(FOR_MEMBERS))
      throw new ForbiddenException('this route is for admins');
    if (caller.scope === 'read' && !READS.has(request.method)) {
      throw new ForbiddenException('this token is read-only: make the change with a full token');
    }
    request.caller = caller;
    request.actor = caller.actor;
    request.session = session;
    return true;
  }

  private async authenticate(request: Request): Promise<{ caller: Caller; session: OpenSession | null }> {
    const found = await this.callers.ofRequest(request);
    if ('problem' in found) throw new UnauthorizedException(found.problem);
    const crossSite = found.session && !READS.has(request.method) ? originProblem(request, true) : null;
    if (crossSite) {
      throw new ForbiddenException(
        `refused a change made with the session cookie: ${crossSite}. Use the dashboard, or a bearer token`,
      );
    }
    return found;
  }
}
