import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Deployment, DeploymentSource, Forbidden } from '@testausdeploy/domain';
import { ManagerConfig } from '../../config/manager-config';
import { DeploymentRepository } from '../deployment.repository';
import { RequestDeploymentCommand } from './request-deployment.command';

@CommandHandler(RequestDeploymentCommand)
export class RequestDeploymentHandler implements ICommandHandler<RequestDeploymentCommand> {
  private readonly allowedOrgs: Set<string>;

  constructor(
    private readonly repository: DeploymentRepository,
    config: ManagerConfig,
  ) {
    // GitHub organisation names are case-insensitive.
    this.allowedOrgs = new Set(config.ALLOWED_ORGS.map((org) => org.toLowerCase()));
  }

  async execute({ source, actor, commandId }: RequestDeploymentCommand): Promise<{ deploymentId: string }> {
    const validated = DeploymentSource.create(source);
    if (!this.allowedOrgs.has(validated.props.org.toLowerCase())) {
      throw new Forbidden(`organisation "${validated.props.org}" is not on the allow-list`);
    }
    const deployment = new Deployment(randomUUID());
    deployment.request(validated, actor);
    const { events } = await this.repository.save(deployment, {
      actor,
      correlationId: deployment.id,
      causationId: null,
      commandId,
    });
    // On a repeated command id, the first event is the one the original request recorded.
    return { deploymentId: (events[0].data as { deploymentId: string }).deploymentId };
  }
}
