import { Injectable } from '@nestjs/common';
import { ConfigurationEvent, describeVariable, ProjectConfiguration } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { DataKeys } from '../keys/data-keys';
import { keyScope } from '../keys/key-scope';
import { variableContext } from './commands/change-configuration.handler';

/** A variable as a deployment gets it: its value in clear. */
export interface DeployedVariable {
  name: string;
  /** The compose service it is for; null: every service of the project. */
  service: string | null;
  value: string;
}

/**
 * A project's configuration as a deployment attempt runs with it: the version the attempt recorded, rebuilt from
 * the configuration's stream, its secrets opened. The values live only as long as the deploy command that
 * carries them to the Worker; nothing here keeps, logs or records them.
 */
@Injectable()
export class ConfigurationValues {
  constructor(
    private readonly store: EventStore,
    private readonly keys: DataKeys,
  ) {}

  /** The project's newest configuration version: what a new attempt runs with (0: no variables were ever set). */
  async currentVersion(org: string, repo: string): Promise<number> {
    return (await this.configuration(org, repo, Infinity)).configurationVersion;
  }

  /**
   * The variables of `version`, in clear. A secret that no longer opens (its project's data key was destroyed,
   * or replaced after its master key was lost) fails with a reason naming the variable, never a value.
   */
  async at(org: string, repo: string, version: number): Promise<DeployedVariable[]> {
    const configuration = await this.configuration(org, repo, version);
    if (configuration.configurationVersion !== version) {
      throw new Error(`the configuration of ${org}/${repo} has no version ${version}`);
    }
    return Promise.all(
      configuration.all.map(async (variable) => {
        const { name, service, sealed, value } = variable;
        if (!sealed) return { name, service, value: value ?? '' };
        const context = variableContext(org, repo, variable);
        const opened = await this.keys
          .unseal(keyScope({ org, repo }), sealed, context)
          .catch((error: Error) => {
            throw new Error(
              `the secret ${describeVariable(variable)} of ${org}/${repo} cannot be opened: ${error.message}`,
            );
          });
        return { name, service, value: opened };
      }),
    );
  }

  private async configuration(org: string, repo: string, upTo: number): Promise<ProjectConfiguration> {
    const events = (await this.store.readStream(
      ProjectConfiguration.streamId(org, repo),
    )) as unknown as ConfigurationEvent[];
    const configuration = new ProjectConfiguration(org, repo);
    configuration.loadFromHistory(events.filter((event) => event.data.version <= upTo));
    return configuration;
  }
}
