import { Caller } from '../../auth/caller';

export class ReplaceContainerSshKeysCommand {
  constructor(
    readonly name: string,
    readonly sshKeys: string[],
    readonly caller: Caller,
  ) {}
}
