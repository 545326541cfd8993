import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict, ProjectConfiguration, VariableKey } from '@testausdeploy/domain';
import { RedeployCommand } from '../../deployments/commands/redeploy.command';
import { DeploymentView } from '../../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../../deployments/projections/deployments.projection';
import { EventRecorder } from '../../events/event-recorder';
import { ReadModels } from '../../events/read-models';
import { projectKey, ProjectView } from '../../projects/projections/project-view';
import { PROJECTS } from '../../projects/projections/projects.projection';
import { ProjectRemovals } from '../../projects/project-removals';
import { DataKeys } from '../../keys/data-keys';
import { keyScope } from '../../keys/key-scope';
import { ChangeConfigurationCommand, VariableToSet } from './change-configuration.command';

/** What a sealed value is bound to: moved to another variable or project, it does not open. */
export const variableContext = (org: string, repo: string, { name, service }: VariableKey) =>
  `configuration ${org}/${repo} ${service ?? ''}/${name}`;

/**
 * Seals the secret values with the project's data key, then records the change: no event holds one in clear.
 * A change that is to redeploy is refused first, changing nothing, when there is nothing deployed to redeploy.
 */
@CommandHandler(ChangeConfigurationCommand)
export class ChangeConfigurationHandler implements ICommandHandler<ChangeConfigurationCommand> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly keys: DataKeys,
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
    private readonly removals: ProjectRemovals,
  ) {}

  async execute({
    org,
    repo,
    set,
    removed,
    actor,
    redeploy,
  }: ChangeConfigurationCommand): Promise<{ version: number; deploymentId: string | null }> {
    this.removals.ensureNotRemoving(org, repo);
    const newest = redeploy ? await this.deployed(org, repo) : null;
    const sealed = await Promise.all(set.map((variable) => this.sealed(org, repo, variable)));
    const streamId = ProjectConfiguration.streamId(org, repo);
    const configuration = await this.recorder.load(new ProjectConfiguration(org, repo), streamId);
    configuration.change(sealed, removed);
    await this.recorder.saveAs(streamId, configuration, actor);
    const version = configuration.configurationVersion;
    if (!newest) return { version, deploymentId: null };
    const { deploymentId } = await this.commands.execute(new RedeployCommand(newest, actor));
    return { version, deploymentId };
  }

  /** The project's newest deployment, unless there is none or it was removed: what a redeploy deploys again. */
  private async deployed(org: string, repo: string): Promise<string> {
    const project = await this.readModels
      .collection<ProjectView>(PROJECTS)
      .findOne({ _id: projectKey(org, repo) });
    const newest =
      project?.latest &&
      (await this.readModels
        .collection<DeploymentView>(DEPLOYMENTS)
        .findOne({ _id: project.latest.deploymentId }));
    if (!newest || newest.status === 'removed') {
      throw new Conflict(
        `nothing of ${org}/${repo} is deployed to redeploy: save the change without redeploying`,
      );
    }
    return newest.id;
  }

  private async sealed(org: string, repo: string, { name, service, value, secret }: VariableToSet) {
    if (!secret) return { name, service, secret, value, sealed: null };
    const context = variableContext(org, repo, { name, service });
    return {
      name,
      service,
      secret,
      value: null,
      sealed: await this.keys.seal(keyScope({ org, repo }), value, context),
    };
  }
}
