import { Caller } from '../../auth/caller';

/**
 * A member's containers, or for an admin everyone's (optionally one member's); with `asOfPosition`, as they were
 * once the log reached that position.
 */
export class ListContainersQuery {
  constructor(
    readonly caller: Caller,
    readonly owner?: string,
    readonly asOfPosition?: number,
  ) {}
}
