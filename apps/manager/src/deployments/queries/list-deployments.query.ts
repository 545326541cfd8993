import { Query } from '@nestjs/cqrs';
import { DeploymentView } from '../projections/deployment-view';

/** Newest first. */
export class ListDeploymentsQuery extends Query<DeploymentView[]> {
  constructor(readonly limit: number) {
    super();
  }
}
