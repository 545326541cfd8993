import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { NodeDirectory } from '../node-directory';
import { NodeStatus, NodeStatuses } from '../node-status';
import { GetNodeQuery } from './get-node.query';

@QueryHandler(GetNodeQuery)
export class GetNodeHandler implements IQueryHandler<GetNodeQuery> {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly statuses: NodeStatuses,
  ) {}

  async execute({ name }: GetNodeQuery): Promise<NodeStatus> {
    const view = await this.directory.find(name);
    if (!view) throw new NotFound(`node "${name}" is not enrolled`);
    return this.statuses.one(view);
  }
}
