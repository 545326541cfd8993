import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Deployment, DeploymentSource, Forbidden } from '@testausdeploy/domain';
import { OrganisationDirectory } from '../../organisations/organisation-directory';
import { DeploymentRepository } from '../deployment.repository';
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
  ) {}

  async execute({ deploymentId, actor }: RollbackDeploymentCommand): Promise<{ deploymentId: string }> {
    const earlier = await this.repository.load(deploymentId);
    const { pinned, configurationVersion } = earlier.restorable();
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
