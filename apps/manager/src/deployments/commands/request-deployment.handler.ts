import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Deployment, DeploymentSource, Forbidden } from '@testausdeploy/domain';
import { ConfigurationValues } from '../../configuration/configuration-values';
import { OrganisationDirectory } from '../../organisations/organisation-directory';
import { ProjectPlacements } from '../../placement/project-placements';
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
    private readonly placements: ProjectPlacements,
  ) {}

  async execute({
    source,
    actor,
    commandId,
    wish,
    moveTo,
  }: RequestDeploymentCommand): Promise<{ deploymentId: string }> {
    const validated = DeploymentSource.create(source);
    if (!(await this.organisations.isAllowed(validated.props.org))) {
      throw new Forbidden(`organisation "${validated.props.org}" is not on the allow-list`);
    }
    const { org, repo } = validated.props;
    this.removals.ensureNotRemoving(org, repo);
    // A wish places a new project now, so a refusal is the caller's answer; without one, the first run places
    // it by rule. A project whose node is down gets no deployment until it is back (503).
    if (wish.node !== undefined || (wish.labels?.length ?? 0) > 0)
      await this.placements.place(org, repo, wish, actor);
    await this.placements.ensureReachable(org, repo);
    const deployment = new Deployment(randomUUID());
    // The newest configuration when asked for: what the attempt runs with, whatever changes while it waits.
    deployment.request(
      validated,
      actor,
      await this.configuration.currentVersion(org, repo),
      undefined,
      moveTo,
    );
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
