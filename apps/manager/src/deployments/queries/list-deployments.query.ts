import { Query } from '@nestjs/cqrs';
import { DeploymentView } from '../projections/deployment-view';

/** Newest first; with `asOfPosition`, as the deployments stood once the log reached that position. */
export class ListDeploymentsQuery extends Query<DeploymentView[]> {
  constructor(
    readonly limit: number,
    readonly asOfPosition?: number,
  ) {
    super();
  }
}
