import { Caller } from '../../auth/caller';

/** A new container from a backup of `name`, called `newName`, with the same owner, spec and SSH keys. */
export class RestoreBackupCommand {
  constructor(
    readonly name: string,
    readonly backup: string,
    readonly newName: string,
    readonly caller: Caller,
  ) {}
}
