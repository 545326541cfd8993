import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { DeploymentView } from '../projections/deployment-view';
import { DeploymentsProjection } from '../projections/deployments.projection';
import { GetDeploymentQuery } from './get-deployment.query';

@QueryHandler(GetDeploymentQuery)
export class GetDeploymentHandler implements IQueryHandler<GetDeploymentQuery> {
  constructor(private readonly projection: DeploymentsProjection) {}

  async execute({ deploymentId }: GetDeploymentQuery): Promise<DeploymentView> {
    const view = await this.projection.views.findOne({ id: deploymentId }, { _id: 0 }).lean<DeploymentView>();
    if (!view) throw new NotFound(`deployment ${deploymentId} does not exist`);
    return view;
  }
}
