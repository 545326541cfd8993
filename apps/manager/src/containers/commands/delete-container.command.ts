import { Caller } from '../../auth/caller';

export class DeleteContainerCommand {
  constructor(
    readonly name: string,
    /** The container's name typed again. */
    readonly confirm: string | undefined,
    readonly caller: Caller,
  ) {}
}
