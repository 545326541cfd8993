import { Caller } from '../../auth/caller';
import { BackupSelector } from '../backup-lookup';

export class DeleteBackupCommand {
  constructor(
    readonly selector: BackupSelector,
    readonly caller: Caller,
  ) {}
}
