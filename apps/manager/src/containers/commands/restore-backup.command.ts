import { Caller } from '../../auth/caller';
import { BackupSelector } from '../backup-lookup';

/** A new container `newName` from a backup, owned by the backup's owner, with the spec it had when backed up. */
export class RestoreBackupCommand {
  constructor(
    readonly selector: BackupSelector,
    readonly newName: string,
    readonly caller: Caller,
  ) {}
}
