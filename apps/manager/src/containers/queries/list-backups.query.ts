import { Caller } from '../../auth/caller';

/** Every backup a member owns, of any incarnation; for an admin everyone's (optionally one member's). */
export class ListBackupsQuery {
  constructor(
    readonly caller: Caller,
    readonly owner?: string,
  ) {}
}
