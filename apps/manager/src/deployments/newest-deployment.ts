import { ReadModels } from '../events/read-models';
import { DeploymentView } from './projections/deployment-view';
import { DEPLOYMENTS } from './projections/deployments.projection';

/**
 * A project's newest deployment, the one that runs (or ran last) and the one to act on: a move that failed is
 * not it, since it replaced nothing. Null for a repository never deployed.
 */
export function newestDeployment(
  readModels: ReadModels,
  org: string,
  repo: string,
): Promise<DeploymentView | null> {
  return readModels
    .collection<DeploymentView>(DEPLOYMENTS)
    .find({ org, repo, $or: [{ moveTo: null }, { status: { $ne: 'failed' } }] })
    .sort({ requestedAt: -1 })
    .limit(1)
    .next();
}
