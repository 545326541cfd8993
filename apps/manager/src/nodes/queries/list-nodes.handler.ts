import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NodeDirectory } from '../node-directory';
import { NodeStatus, NodeStatuses } from '../node-status';
import { ListNodesQuery } from './list-nodes.query';

@QueryHandler(ListNodesQuery)
export class ListNodesHandler implements IQueryHandler<ListNodesQuery> {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly statuses: NodeStatuses,
  ) {}

  async execute(): Promise<NodeStatus[]> {
    return this.statuses.of(await this.directory.all());
  }
}
