import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Deployment, DeploymentSource, Forbidden } from '@testausdeploy/domain';
import { ConfigurationValues } from '../../configuration/configuration-values';
import { OrganisationDirectory } from '../../organisations/organisation-directory';
import { ProjectRemovals } from '../../projects/project-removals';
import { DeploymentRepository } from '../deployment.repository';
import { RequestDeploymentCommand } from './request-deployment.command';

@CommandHandler(RequestDeploymentCommand)
export class RequestDeploymentHandler implements ICommandHandler<RequestDeploymentCommand> {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly organisations: OrganisationDirectory,
    private readonly configuration: ConfigurationValues,
    private readonly removals: ProjectRemovals,
  ) {}

  async execute({ source, actor, commandId }: RequestDeploymentCommand): Promise<{ deploymentId: string }> {
    const validated = DeploymentSource.create(source);
    if (!(await this.organisations.isAllowed(validated.props.org))) {
      throw new Forbidden(`organisation "${validated.props.org}" is not on the allow-list`);
    }
    const { org, repo } = validated.props;
    this.removals.ensureNotRemoving(org, repo);
    const deployment = new Deployment(randomUUID());
    // The newest configuration when asked for: what the attempt runs with, whatever changes while it waits.
    deployment.request(validated, actor, await this.configuration.currentVersion(org, repo));
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
