import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict, NodeEnrolment } from '@testausdeploy/domain';
import { NodeDirectory } from '../node-directory';
import { NodeRepository } from '../node.repository';
import { NodeStatus, NodeStatuses } from '../node-status';
import { NodeView } from '../projections/node-view';
import { EnrolNodeCommand } from './enrol-node.command';
import { keyTakenBy } from './key-taken-by';

@CommandHandler(EnrolNodeCommand)
export class EnrolNodeHandler implements ICommandHandler<EnrolNodeCommand> {
  constructor(
    private readonly repository: NodeRepository,
    private readonly directory: NodeDirectory,
    private readonly statuses: NodeStatuses,
  ) {}

  async execute({ enrolment, actor }: EnrolNodeCommand): Promise<NodeStatus> {
    const checked = NodeEnrolment.create(enrolment);
    const { name, guardian, url, fingerprint } = checked.props;
    const others = (await this.directory.all()).filter((node) => node.name !== name);
    if (guardian !== null) {
      const found = others.find((node) => node.name === guardian);
      if (!found) throw new Conflict(`guardian "${guardian}" is not enrolled: enrol it first`);
      if (found.kind !== 'guardian') throw new Conflict(`"${guardian}" is a ${found.kind}, not a guardian`);
    }
    const sameUrl = others.find((node) => node.url === url);
    if (sameUrl) throw new Conflict(`${url} is already the address of node "${sameUrl.name}"`);
    keyTakenBy(others, fingerprint);
    const node = await this.repository.load(name);
    node.enrol(checked);
    await this.repository.save(node, { actor, correlationId: randomUUID(), causationId: null });
    return this.statuses.one((await this.directory.find(name)) as NodeView);
  }
}
