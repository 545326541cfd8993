import { Command } from '@nestjs/cqrs';
import { NodeStatus } from '../node-status';

/** The node has a new key (`main.js rotate-key` on it): pin its new fingerprint. */
export class RotateNodeKeyCommand extends Command<NodeStatus> {
  constructor(
    readonly name: string,
    readonly fingerprint: string,
    readonly actor: string,
  ) {
    super();
  }
}
