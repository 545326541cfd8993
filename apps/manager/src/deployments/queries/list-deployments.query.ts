import { Query } from '@nestjs/cqrs';
import { DeploymentView } from '../projections/deployment-view';

/**
 * Newest first, `limit` of them after the `offset` newest; with `asOfPosition`, as the deployments stood once the
 * log reached that position.
 */
export class ListDeploymentsQuery extends Query<DeploymentView[]> {
  constructor(
    readonly limit: number,
    readonly offset: number,
    readonly asOfPosition?: number,
  ) {
    super();
  }
}
