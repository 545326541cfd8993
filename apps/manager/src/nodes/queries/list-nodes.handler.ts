import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NodeConnections } from '../node-connections';
import { NodeDirectory } from '../node-directory';
import { NodeStatus, nodeStatus } from '../node-status';
import { ListNodesQuery } from './list-nodes.query';

@QueryHandler(ListNodesQuery)
export class ListNodesHandler implements IQueryHandler<ListNodesQuery> {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly connections: NodeConnections,
  ) {}

  async execute(): Promise<NodeStatus[]> {
    return (await this.directory.all()).map((view) =>
      nodeStatus(view, this.connections.connected(view.name)),
    );
  }
}
