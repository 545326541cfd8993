import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ManagerConfig } from '../config/manager-config';
import { IS_PUBLIC } from './public.decorator';

export interface AuthenticatedRequest extends Request {
  actor: string;
}

/** Secure by default: every route needs `Authorization: Bearer <token>` unless marked @Public(). */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly adminTokenDigest: Buffer;

  constructor(
    private readonly reflector: Reflector,
    config: ManagerConfig,
  ) {
    this.adminTokenDigest = digest(config.ADMIN_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) {
      throw new UnauthorizedException('send the admin token as "Authorization: Bearer <token>"');
    }
    // Comparing fixed-length digests keeps the comparison constant-time whatever the token's length.
    if (!timingSafeEqual(digest(token), this.adminTokenDigest)) {
      throw new UnauthorizedException('the token is not valid');
    }
    request.actor = 'admin';
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
