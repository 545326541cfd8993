import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict, Deployment, DeploymentSource, Forbidden } from '@testausdeploy/domain';
import { OrganisationDirectory } from '../../organisations/organisation-directory';
import { ProjectAccess } from '../../projects/project-access';
import { ProjectRemovals } from '../../projects/project-removals';
import { ReadModels } from '../../events/read-models';
import { DeploymentRepository } from '../deployment.repository';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';
import { RollbackDeploymentCommand } from './rollback-deployment.command';

/**
 * A rollback is a new attempt pinned to what an earlier successful one ran: its commit, its compose file and its
 * configuration version (all recorded with it). The poller and webhooks leave a rolled-back repository alone
 * until someone deploys it again.
 */
@CommandHandler(RollbackDeploymentCommand)
export class RollbackDeploymentHandler implements ICommandHandler<RollbackDeploymentCommand> {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly organisations: OrganisationDirectory,
    private readonly readModels: ReadModels,
    private readonly access: ProjectAccess,
    private readonly removals: ProjectRemovals,
  ) {}

  async execute({ deploymentId, actor }: RollbackDeploymentCommand): Promise<{ deploymentId: string }> {
    const earlier = await this.repository.load(deploymentId);
    const { pinned, configurationVersion } = earlier.restorable();
    const { org, repo } = earlier.source;
    this.removals.ensureNotRemoving(org, repo);
    const view = await this.readModels.collection<DeploymentView>(DEPLOYMENTS).findOne({ _id: deploymentId });
    // Not even an admin restores a removed project's version (its code, data and configuration are gone).
    if (!view || (await this.access.endedWithItsProject(view))) {
      throw new Conflict(
        `deployment ${deploymentId} is of ${org}/${repo} as it was before it was removed: it cannot be restored`,
      );
    }
    const source = DeploymentSource.create(earlier.source);
    if (!(await this.organisations.isAllowed(source.props.org))) {
      throw new Forbidden(`organisation "${source.props.org}" is not on the allow-list`);
    }
    const rollback = new Deployment(randomUUID());
    rollback.request(source, actor, configurationVersion, pinned);
    await this.repository.save(rollback, {
      actor,
      correlationId: rollback.id,
      causationId: `deployment-${deploymentId}`,
    });
    return { deploymentId: rollback.id };
  }
}
