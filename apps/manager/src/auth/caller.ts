import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { MemberRole, TokenScope } from '@testausdeploy/domain';
import type { AuthenticatedRequest } from './caller.guard';

/**
 * Who is calling: the actor recorded in events, their role, and their member name and id (null for the admin
 * token). What a member owns is theirs by id: a later member of the same name is someone else. A named token
 * gives its id and scope (a `read` token only reads); the admin's and an account's own token are `full`.
 */
export interface Caller {
  actor: string;
  role: MemberRole;
  member: string | null;
  memberId: string | null;
  scope: TokenScope;
  /** The named token the caller came with (directly, or by the session it opened); null for any other. */
  tokenId: string | null;
}

/** The authenticated caller of a route. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().caller,
);
