import { Command } from '@nestjs/cqrs';
import { NodeStatus } from '../node-status';

/** What placement may do with a Worker: its labels (all of them), or whether it is drained. */
export type NodePlacementChange = { labels: string[] } | { draining: boolean };

/** An admin changes what placement may put on a Worker; what runs on it stays where it is. */
export class ChangeNodePlacementCommand extends Command<NodeStatus> {
  constructor(
    readonly name: string,
    readonly change: NodePlacementChange,
    readonly actor: string,
  ) {
    super();
  }
}
