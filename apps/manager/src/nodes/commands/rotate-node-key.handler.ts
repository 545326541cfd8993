import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { normaliseFingerprint } from '@testausdeploy/domain';
import { NodeDirectory } from '../node-directory';
import { NodeRepository } from '../node.repository';
import { NodeStatus, NodeStatuses } from '../node-status';
import { NodeView } from '../projections/node-view';
import { keyTakenBy } from './key-taken-by';
import { RotateNodeKeyCommand } from './rotate-node-key.command';

@CommandHandler(RotateNodeKeyCommand)
export class RotateNodeKeyHandler implements ICommandHandler<RotateNodeKeyCommand> {
  constructor(
    private readonly repository: NodeRepository,
    private readonly directory: NodeDirectory,
    private readonly statuses: NodeStatuses,
  ) {}

  async execute({ name, fingerprint, actor }: RotateNodeKeyCommand): Promise<NodeStatus> {
    const node = await this.repository.load(name);
    node.rotateKey(fingerprint);
    const others = (await this.directory.all()).filter((view) => view.name !== name);
    keyTakenBy(others, normaliseFingerprint(fingerprint));
    await this.repository.save(node, { actor, correlationId: randomUUID(), causationId: null });
    return this.statuses.one((await this.directory.find(name)) as NodeView);
  }
}
