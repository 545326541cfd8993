import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ManagerConfig } from '../config/manager-config';
import { MemberDirectory } from '../members/member-directory';
import { tokenDigest } from '../members/member-token';
import { Caller } from './caller';
import { FOR_MEMBERS } from './for-members.decorator';
import { IS_PUBLIC } from './public.decorator';

export interface AuthenticatedRequest extends Request {
  actor: string;
  caller: Caller;
}

/**
 * Secure by default: every route needs `Authorization: Bearer <token>` unless marked @Public(), and an admin's
 * token unless marked @ForMembers() (those routes then check what the member owns). The admin token comes from
 * the configuration; members' tokens are looked up by their SHA-256 digest.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly adminTokenDigest: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly members: MemberDirectory,
    config: ManagerConfig,
  ) {
    this.adminTokenDigest = Buffer.from(tokenDigest(config.ADMIN_TOKEN), 'hex');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const marked = (key: string) =>
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
    if (marked(IS_PUBLIC)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) {
      throw new UnauthorizedException('send your token as "Authorization: Bearer <token>"');
    }
    const caller = await this.caller(token);
    if (!caller) throw new UnauthorizedException('the token is not valid');
    if (caller.role !== 'admin' && !marked(FOR_MEMBERS))
      throw new ForbiddenException('this route is for admins');
    request.caller = caller;
    request.actor = caller.actor;
    return true;
  }

  private async caller(token: string): Promise<Caller | null> {
    const digest = tokenDigest(token);
    // Comparing fixed-length digests keeps the comparison constant-time whatever the token's length.
    if (timingSafeEqual(Buffer.from(digest, 'hex'), this.adminTokenDigest)) {
      return { actor: 'admin', role: 'admin', member: null, memberId: null };
    }
    const member = await this.members.byTokenDigest(digest);
    return (
      member && {
        actor: `member:${member.name}`,
        role: member.role,
        member: member.name,
        memberId: member.memberId,
      }
    );
  }
}
