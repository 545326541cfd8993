import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict } from '@testausdeploy/domain';
import { NodeWorkloads, Workloads } from '../../placement/node-workloads';
import { NodeDirectory } from '../node-directory';
import { NodeRepository } from '../node.repository';
import { RemoveNodeCommand } from './remove-node.command';

@CommandHandler(RemoveNodeCommand)
export class RemoveNodeHandler implements ICommandHandler<RemoveNodeCommand> {
  constructor(
    private readonly repository: NodeRepository,
    private readonly directory: NodeDirectory,
    private readonly workloads: NodeWorkloads,
  ) {}

  async execute({ name, actor }: RemoveNodeCommand): Promise<void> {
    const guarded = (await this.directory.all()).filter((node) => node.guardian === name);
    if (guarded.length > 0) {
      const workers = guarded.map((node) => `"${node.name}"`).join(', ');
      throw new Conflict(`guardian "${name}" still guards ${workers}: remove or re-enrol them first`);
    }
    const placed = (await this.workloads.on([name])).get(name) as Workloads;
    const node = await this.repository.load(name);
    node.remove([
      ...placed.projects.map((project) => `project ${project}`),
      ...placed.leftOvers.map((project) => `the old copy of project ${project}`),
      ...placed.containers.map((container) => `container ${container}`),
      ...placed.backups.map((backup) => `backup ${backup}`),
    ]);
    await this.repository.save(node, { actor, correlationId: randomUUID(), causationId: null });
  }
}
