import { Caller } from '../../auth/caller';

/** An admin moves a member's container to another node (docs/containers.md, "Moving a container"). */
export class MoveContainerCommand {
  constructor(
    readonly name: string,
    readonly node: string,
    readonly caller: Caller,
  ) {}
}
