import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NodeDirectory } from '../node-directory';
import { NodeRepository } from '../node.repository';
import { NodeStatus, NodeStatuses } from '../node-status';
import { NodeView } from '../projections/node-view';
import { ChangeNodePlacementCommand } from './change-node-placement.command';

@CommandHandler(ChangeNodePlacementCommand)
export class ChangeNodePlacementHandler implements ICommandHandler<ChangeNodePlacementCommand> {
  constructor(
    private readonly repository: NodeRepository,
    private readonly directory: NodeDirectory,
    private readonly statuses: NodeStatuses,
  ) {}

  async execute({ name, change, actor }: ChangeNodePlacementCommand): Promise<NodeStatus> {
    const node = await this.repository.load(name);
    if ('labels' in change) node.label(change.labels);
    else node.setDraining(change.draining);
    await this.repository.save(node, { actor, correlationId: randomUUID(), causationId: null });
    return this.statuses.one((await this.directory.find(name)) as NodeView);
  }
}
