import { Query } from '@nestjs/cqrs';
import { DeploymentView } from '../projections/deployment-view';

export class GetDeploymentQuery extends Query<DeploymentView> {
  constructor(readonly deploymentId: string) {
    super();
  }
}
