import { Command } from '@nestjs/cqrs';
import { TokenScope } from '@testausdeploy/domain';

/** A token as it is answered once, when made: the token itself is never shown again. */
export interface IssuedToken {
  id: string;
  name: string;
  scope: TokenScope;
  expiresAt: Date;
  token: string;
}

/** A member makes a named API token of their own. */
export class IssueMemberTokenCommand extends Command<IssuedToken> {
  constructor(
    readonly member: string,
    readonly label: string,
    readonly scope: TokenScope,
    readonly expiresInDays: number,
    readonly actor: string,
  ) {
    super();
  }
}
