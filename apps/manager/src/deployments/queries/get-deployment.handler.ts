import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { ReadModels } from '../../events/read-models';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';
import { GetDeploymentQuery } from './get-deployment.query';

@QueryHandler(GetDeploymentQuery)
export class GetDeploymentHandler implements IQueryHandler<GetDeploymentQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ deploymentId }: GetDeploymentQuery): Promise<DeploymentView> {
    const view = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .findOne({ _id: deploymentId }, { projection: { _id: 0 } });
    if (!view) throw new NotFound(`deployment ${deploymentId} does not exist`);
    return view;
  }
}
