import { Caller } from '../../auth/caller';

export class CreateSnapshotCommand {
  constructor(
    readonly name: string,
    readonly snapshot: string,
    readonly caller: Caller,
  ) {}
}
