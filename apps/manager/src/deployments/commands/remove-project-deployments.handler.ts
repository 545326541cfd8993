import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict, Unavailable } from '@testausdeploy/domain';
import { ReadModels } from '../../events/read-models';
import { ProjectPlacements } from '../../placement/project-placements';
import { newestOfEachSource } from '../../polling/watched-sources';
import { DeploymentRepository } from '../deployment.repository';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';
import { SourceLocks } from '../source-locks';
import { RemoveProjectDeploymentsCommand } from './remove-project-deployments.command';

const REMOVE_TIMEOUT_MS = 5 * 60_000;

/**
 * The deployment side of removing a project: not while it is being deployed; the Worker removes everything of
 * it first, on its node (if that fails or the node is unreachable, nothing is recorded); then the newest attempt of each of its sources is recorded as
 * removed, so that no poller or webhook deploys it again. A project never deployed has nothing on a Worker.
 */
@CommandHandler(RemoveProjectDeploymentsCommand)
export class RemoveProjectDeploymentsHandler implements ICommandHandler<RemoveProjectDeploymentsCommand> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly placements: ProjectPlacements,
    private readonly locks: SourceLocks,
    private readonly repository: DeploymentRepository,
  ) {}

  async execute({ org, repo, actor }: RemoveProjectDeploymentsCommand): Promise<void> {
    const busy = this.locks.holder(org, repo);
    if (busy) {
      throw new Conflict(
        `${org}/${repo} is being deployed (deployment ${busy.deploymentId} by ${busy.requestedBy}): remove it when that ends`,
      );
    }
    const views = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find({ org, repo }, { projection: { _id: 0 } })
      .sort({ requestedAt: -1 })
      .toArray();
    if (views.length === 0) return;
    const lock = { org, repo, deploymentId: views[0].id, requestedBy: actor };
    await this.locks.run(lock, async () => {
      const worker = await this.placements.workerOf(org, repo);
      try {
        await worker.request('removeProject', { org, repo }, { timeoutMs: REMOVE_TIMEOUT_MS });
      } catch (error) {
        throw new Unavailable(`the Worker could not remove ${org}/${repo}: ${(error as Error).message}`);
      }
      for (const { id } of newestOfEachSource(views)) {
        const deployment = await this.repository.load(id);
        deployment.removedWithProject(actor);
        if (deployment.pendingEvents.length === 0) continue;
        await this.repository.save(deployment, { actor, correlationId: id, causationId: null });
      }
    });
  }
}
