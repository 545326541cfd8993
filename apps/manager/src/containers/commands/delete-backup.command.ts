import { Caller } from '../../auth/caller';

export class DeleteBackupCommand {
  constructor(
    readonly name: string,
    readonly backup: string,
    readonly caller: Caller,
  ) {}
}
