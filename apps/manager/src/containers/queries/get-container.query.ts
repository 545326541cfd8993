import { Caller } from '../../auth/caller';

export class GetContainerQuery {
  constructor(
    readonly name: string,
    readonly caller: Caller,
    /** Ask the Worker what LXD says of it now; the snapshot and backup lists need only the record. */
    readonly live = true,
  ) {}
}
