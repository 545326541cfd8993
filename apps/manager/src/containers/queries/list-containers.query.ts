import { Caller } from '../../auth/caller';

/** A member's containers, or for an admin everyone's (optionally one member's). */
export class ListContainersQuery {
  constructor(
    readonly caller: Caller,
    readonly owner?: string,
  ) {}
}
