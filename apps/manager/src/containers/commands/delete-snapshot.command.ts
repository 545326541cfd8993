import { Caller } from '../../auth/caller';

export class DeleteSnapshotCommand {
  constructor(
    readonly name: string,
    readonly snapshot: string,
    readonly caller: Caller,
  ) {}
}
