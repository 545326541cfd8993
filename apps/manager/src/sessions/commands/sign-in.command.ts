import { Caller } from '../../auth/caller';

export class SignInCommand {
  constructor(readonly caller: Caller) {}
}
