import {
  ConflictException,
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/caller.guard';
import { Caller } from '../auth/caller';
import { Callers } from '../auth/callers';
import { ForMembers } from '../auth/for-members.decorator';
import { Public } from '../auth/public.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { EndSessionCommand } from './commands/end-session.command';
import { SignInCommand } from './commands/sign-in.command';
import { SignInBody, signInBody } from './dto/sign-in.dto';
import { clearedSessionCookie, originProblem, sessionCookie } from './session-cookie';

/** Who the caller is, and how they came: with a bearer token, or with a session that ends at `expiresAt`. */
function whoAmI({ actor, role, member }: Caller, expiresAt: Date | null) {
  return {
    actor,
    role,
    member,
    via: expiresAt ? ('session' as const) : ('token' as const),
    expiresAt: expiresAt?.toISOString() ?? null,
  };
}

/** The dashboard's sign-in: an API token traded for an HttpOnly session cookie, and the sign-out that ends it. */
@Controller('session')
export class SessionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: Callers,
  ) {}

  @Public()
  @Post()
  async signIn(
    @Body(new ZodBody(signInBody)) { token }: SignInBody,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    // Another site must not sign a visitor in under a token of its choosing.
    const crossSite = originProblem(request, false);
    if (crossSite) throw new ForbiddenException(`refused a sign-in: ${crossSite}`);
    const found = await this.callers.byToken(token);
    if ('problem' in found) throw new UnauthorizedException(found.problem);
    if (found.caller.scope === 'read') {
      throw new ForbiddenException(
        'a read-only token cannot open a dashboard session: sign in with a full one',
      );
    }
    const { secret, expiresAt } = await this.commands.execute(
      new SignInCommand(found.caller, found.expiresAt),
    );
    response.setHeader('Set-Cookie', sessionCookie(request, secret, expiresAt));
    return whoAmI(found.caller, expiresAt);
  }

  @ForMembers()
  @Get()
  current(@Req() { caller, session }: AuthenticatedRequest) {
    return whoAmI(caller, session?.expiresAt ?? null);
  }

  @ForMembers()
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  async signOut(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    if (!request.session) {
      throw new ConflictException('you came with a bearer token: there is no session to end');
    }
    await this.commands.execute(new EndSessionCommand(request.session.id, 'signed-out', request.actor));
    response.setHeader('Set-Cookie', clearedSessionCookie(request));
  }
}
