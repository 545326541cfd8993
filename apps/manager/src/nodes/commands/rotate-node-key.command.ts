import { Command } from '@nestjs/cqrs';
import { NodeView } from '../projections/node-view';

/** The node has a new key (`main.js rotate-key` on it): pin its new fingerprint. */
export class RotateNodeKeyCommand extends Command<NodeView> {
  constructor(
    readonly name: string,
    readonly fingerprint: string,
    readonly actor: string,
  ) {
    super();
  }
}
