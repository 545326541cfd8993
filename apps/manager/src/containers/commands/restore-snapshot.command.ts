import { Caller } from '../../auth/caller';

export class RestoreSnapshotCommand {
  constructor(
    readonly name: string,
    readonly snapshot: string,
    readonly caller: Caller,
  ) {}
}
