import { Query } from '@nestjs/cqrs';
import { ProjectRef } from '../../projects/project-access';
import { DeploymentView } from '../projections/deployment-view';

/**
 * Newest first, `limit` of them after the `offset` newest; with `asOfPosition`, as the deployments stood once the
 * log reached that position. Only those of `projects` (null: all).
 */
export class ListDeploymentsQuery extends Query<DeploymentView[]> {
  constructor(
    readonly limit: number,
    readonly offset: number,
    readonly asOfPosition: number | undefined,
    readonly projects: ProjectRef[] | null,
  ) {
    super();
  }
}
