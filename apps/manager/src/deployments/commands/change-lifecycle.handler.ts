import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { Conflict, LifecycleAction, Unavailable } from '@testausdeploy/domain';
import { ReadModels } from '../../events/read-models';
import { ProjectPlacements } from '../../placement/project-placements';
import { RoutedServices } from '../../routes/routed-services';
import { DeploymentRepository } from '../deployment.repository';
import { SourceLocks } from '../source-locks';
import { newestDeployment } from '../newest-deployment';
import { DeploymentView } from '../projections/deployment-view';
import { GetDeploymentQuery } from '../queries/get-deployment.query';
import { ChangeLifecycleCommand } from './change-lifecycle.command';

const LIFECYCLE_TIMEOUT_MS = 5 * 60_000;

/**
 * Checks the action against the deployment's status, has the Worker of its node carry it out, and only then records it:
 * a refused or failed action records nothing, and the caller gets the reason.
 */
@CommandHandler(ChangeLifecycleCommand)
export class ChangeLifecycleHandler implements ICommandHandler<ChangeLifecycleCommand> {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly placements: ProjectPlacements,
    private readonly readModels: ReadModels,
    private readonly queries: QueryBus,
    private readonly locks: SourceLocks,
    private readonly routed: RoutedServices,
  ) {}

  async execute({
    deploymentId,
    action,
    actor,
    removeVolumes,
  }: ChangeLifecycleCommand): Promise<DeploymentView> {
    const deployment = await this.repository.load(deploymentId);
    deployment.ensureCan(action);
    const { org, repo } = deployment.source;
    const busy = this.locks.holder(org, repo);
    if (busy) {
      throw new Conflict(
        `${org}/${repo} is being deployed (deployment ${busy.deploymentId} by ${busy.requestedBy}, since ${busy.since.toISOString()}): try again when it ends`,
      );
    }
    const newer = await newestDeployment(this.readModels, org, repo);
    if (newer && newer.id !== deploymentId) {
      throw new Conflict(`deployment ${newer.id} of ${org}/${repo} is newer: act on that one`);
    }
    const containers = await this.worker(org, repo, action, removeVolumes);
    deployment.changed(action, actor, containers, removeVolumes);
    await this.repository.save(deployment, { actor, correlationId: deploymentId, causationId: null });
    return this.queries.execute(new GetDeploymentQuery(deploymentId));
  }

  private async worker(org: string, repo: string, action: LifecycleAction, removeVolumes: boolean) {
    // None enrolled: 409, until an admin enrols one; its node unreachable: 503.
    const worker = await this.placements.workerOf(org, repo);
    const routedTo = await this.routed.routedTo(org, repo);
    const data = { org, repo, action, removeVolumes, ...(routedTo.length > 0 && { routedTo }) };
    try {
      const options = { timeoutMs: LIFECYCLE_TIMEOUT_MS };
      return (await worker.request('lifecycle', data, options)).containers;
    } catch (error) {
      throw new Unavailable(`the Worker could not ${action} ${org}/${repo}: ${(error as Error).message}`);
    }
  }
}
