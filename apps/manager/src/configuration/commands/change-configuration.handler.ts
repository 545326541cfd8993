import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProjectConfiguration, VariableKey } from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { DataKeys } from '../../keys/data-keys';
import { keyScope } from '../../keys/key-scope';
import { ChangeConfigurationCommand, VariableToSet } from './change-configuration.command';

/** What a sealed value is bound to: moved to another variable or project, it does not open. */
export const variableContext = (org: string, repo: string, { name, service }: VariableKey) =>
  `configuration ${org}/${repo} ${service ?? ''}/${name}`;

/** Seals the secret values with the project's data key, then records the change: no event holds one in clear. */
@CommandHandler(ChangeConfigurationCommand)
export class ChangeConfigurationHandler implements ICommandHandler<ChangeConfigurationCommand> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly keys: DataKeys,
  ) {}

  async execute({
    org,
    repo,
    set,
    removed,
    actor,
  }: ChangeConfigurationCommand): Promise<{ version: number }> {
    const sealed = await Promise.all(set.map((variable) => this.sealed(org, repo, variable)));
    const streamId = ProjectConfiguration.streamId(org, repo);
    const configuration = await this.recorder.load(new ProjectConfiguration(org, repo), streamId);
    configuration.change(sealed, removed);
    await this.recorder.saveAs(streamId, configuration, actor);
    return { version: configuration.configurationVersion };
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
