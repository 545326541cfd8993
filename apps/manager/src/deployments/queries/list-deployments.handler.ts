import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Collection } from 'mongodb';
import { ReadModels } from '../../events/read-models';
import { ofProjectsDeployments } from '../../projects/project-access';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';
import { ListDeploymentsQuery } from './list-deployments.query';

@QueryHandler(ListDeploymentsQuery)
export class ListDeploymentsHandler implements IQueryHandler<ListDeploymentsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ limit, offset, asOfPosition, projects }: ListDeploymentsQuery): Promise<DeploymentView[]> {
    const list = (views: Collection<DeploymentView>) =>
      views
        .find(ofProjectsDeployments(projects), { projection: { _id: 0 } })
        .sort({ requestedAt: -1, id: 1 })
        .skip(offset)
        .limit(limit)
        .toArray();
    if (asOfPosition === undefined) return list(this.readModels.collection<DeploymentView>(DEPLOYMENTS));
    return this.readModels.asOf(DEPLOYMENTS, asOfPosition, (views) =>
      list(views as unknown as Collection<DeploymentView>),
    );
  }
}
