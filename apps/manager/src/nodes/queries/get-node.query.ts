import { Query } from '@nestjs/cqrs';
import { NodeStatus } from '../node-status';

export class GetNodeQuery extends Query<NodeStatus> {
  constructor(readonly name: string) {
    super();
  }
}
