import { Caller } from '../../auth/caller';

export class SignInCommand {
  constructor(
    readonly caller: Caller,
    /** When the token signed in with expires: the session ends then at the latest. */
    readonly tokenExpiresAt: Date | null,
  ) {}
}
