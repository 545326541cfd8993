import { Injectable } from '@nestjs/common';
import { ConfigurationChanged, ProjectConfiguration } from '@testausdeploy/domain';
import { EventStore, StoredEvent } from '@testausdeploy/events';

/** A variable as the API shows it: a secret's value never, only that it is one and when whoever set it. */
export interface VariableSummary {
  name: string;
  service: string | null;
  secret: boolean;
  /** A plain variable's value; null for a secret. */
  value: string | null;
  setBy: string;
  setAt: Date;
  /** The configuration version that set it as it is. */
  version: number;
}

export interface ConfigurationSummary {
  org: string;
  repo: string;
  version: number;
  variables: VariableSummary[];
}

/**
 * Reads a project's configuration from its own stream (a few changes per project), with who made each change
 * and when: the stream is what the log holds, so there is no read model to lag or to hold a value in clear.
 */
@Injectable()
export class ConfigurationDirectory {
  constructor(private readonly store: EventStore) {}

  async summary(org: string, repo: string): Promise<ConfigurationSummary> {
    const events = (await this.store.readStream(ProjectConfiguration.streamId(org, repo))) as StoredEvent<
      'ConfigurationChanged',
      ConfigurationChanged['data']
    >[];
    const variables = new Map<string, VariableSummary>();
    const key = ({ name, service }: { name: string; service: string | null }) => `${service ?? ''}/${name}`;
    let version = 0;
    for (const { data, metadata } of events) {
      for (const { name, service, secret, value } of data.set) {
        variables.set(key({ name, service }), {
          name,
          service,
          secret,
          value: secret ? null : value,
          setBy: metadata.actor,
          setAt: metadata.time,
          version: data.version,
        });
      }
      for (const removed of data.removed) variables.delete(key(removed));
      version = data.version;
    }
    const sorted = [...variables.values()].sort(
      (a, b) => (a.service ?? '').localeCompare(b.service ?? '') || a.name.localeCompare(b.name),
    );
    return { org, repo, version, variables: sorted };
  }
}
