import { Injectable } from '@nestjs/common';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { ReadModels } from '../events/read-models';

/**
 * The sources (repository, branch, compose file) that follow their branch: the newest deployment of each,
 * where that one succeeded or failed. A stopped or removed project, one being deployed, and one rolled back
 * (held at an earlier version until someone deploys it again) are left alone.
 */
@Injectable()
export class WatchedSources {
  constructor(private readonly readModels: ReadModels) {}

  async all(): Promise<DeploymentView[]> {
    await this.readModels.started;
    const views = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find(
        {},
        {
          projection: {
            _id: 0,
            id: 1,
            org: 1,
            repo: 1,
            branch: 1,
            composePath: 1,
            status: 1,
            commit: 1,
            requestedAt: 1,
            rollbackOf: 1,
          },
        },
      )
      .sort({ requestedAt: -1 })
      .toArray();
    return newestOfEachSource(views).filter(
      (view) => (view.status === 'succeeded' || view.status === 'failed') && !view.rollbackOf,
    );
  }
}

/** Of deployments sorted newest first, the newest of each source (repository, branch, compose file). */
export function newestOfEachSource<V extends DeploymentView>(views: V[]): V[] {
  const newest = new Map<string, V>();
  for (const view of views) if (!newest.has(sourceKey(view))) newest.set(sourceKey(view), view);
  return [...newest.values()];
}

export function sourceKey({ org, repo, branch, composePath }: DeploymentView): string {
  return JSON.stringify([org, repo, branch, composePath]);
}
