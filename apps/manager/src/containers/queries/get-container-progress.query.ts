import { Caller } from '../../auth/caller';

/** What the Worker reported of the container's running (or last) long operation. */
export class GetContainerProgressQuery {
  constructor(
    readonly name: string,
    readonly caller: Caller,
  ) {}
}
