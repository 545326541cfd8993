import { Caller } from '../../auth/caller';

export class ExportBackupCommand {
  constructor(
    readonly name: string,
    readonly backup: string,
    readonly caller: Caller,
  ) {}
}
