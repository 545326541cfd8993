import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { MemberRole } from '@testausdeploy/domain';
import type { AuthenticatedRequest } from './caller.guard';

/**
 * Who is calling: the actor recorded in events, their role, and their member name and id (null for the admin
 * token). What a member owns is theirs by id: a later member of the same name is someone else.
 */
export interface Caller {
  actor: string;
  role: MemberRole;
  member: string | null;
  memberId: string | null;
}

/** The authenticated caller of a route. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().caller,
);
