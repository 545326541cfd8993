import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict } from '@testausdeploy/domain';
import { NodeDirectory } from '../node-directory';
import { NodeRepository } from '../node.repository';
import { RemoveNodeCommand } from './remove-node.command';

@CommandHandler(RemoveNodeCommand)
export class RemoveNodeHandler implements ICommandHandler<RemoveNodeCommand> {
  constructor(
    private readonly repository: NodeRepository,
    private readonly directory: NodeDirectory,
  ) {}

  async execute({ name, actor }: RemoveNodeCommand): Promise<void> {
    const guarded = (await this.directory.all()).filter((node) => node.guardian === name);
    if (guarded.length > 0) {
      const workers = guarded.map((node) => `"${node.name}"`).join(', ');
      throw new Conflict(`guardian "${name}" still guards ${workers}: remove or re-enrol them first`);
    }
    const node = await this.repository.load(name);
    node.remove();
    await this.repository.save(node, { actor, correlationId: randomUUID(), causationId: null });
  }
}
