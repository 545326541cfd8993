import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DeploymentView } from '../projections/deployment-view';
import { DeploymentsProjection } from '../projections/deployments.projection';
import { ListDeploymentsQuery } from './list-deployments.query';

@QueryHandler(ListDeploymentsQuery)
export class ListDeploymentsHandler implements IQueryHandler<ListDeploymentsQuery> {
  constructor(private readonly projection: DeploymentsProjection) {}

  execute({ limit }: ListDeploymentsQuery): Promise<DeploymentView[]> {
    return this.projection.views
      .find({}, { _id: 0 })
      .sort({ requestedAt: -1 })
      .limit(limit)
      .lean<DeploymentView[]>()
      .exec();
  }
}
