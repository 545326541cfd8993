import { Query } from '@nestjs/cqrs';
import { NodeStatus } from '../node-status';

export class ListNodesQuery extends Query<NodeStatus[]> {}
