import { AggregateRoot } from '../aggregate-root';
import { InvalidInput, NotFound } from '../errors';
import { ConfigurationChanged, ConfigurationEvent, VariableKey } from './configuration.events';
import { MAX_CONFIGURATION_BYTES } from './variable-rules';

type Set = ConfigurationChanged['data']['set'][number];

/** The most variables a project may have, over all its services. */
export const MAX_VARIABLES = 200;

const keyOf = ({ name, service }: VariableKey) => `${service ?? ''}/${name}`;

/** AES-GCM's tag: what a sealed value holds beyond its plaintext's bytes. */
const TAG_BYTES = 16;
const utf8 = new TextEncoder();

/** A variable's name and value in UTF-8 bytes; a sealed value's, from its ciphertext's length. */
function bytesOf({ name, value, sealed }: Set): number {
  if (!sealed) return name.length + utf8.encode(value ?? '').length;
  const base64 = sealed.sealed;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return name.length + (base64.length / 4) * 3 - padding - TAG_BYTES;
}
export const describeVariable = ({ name, service }: VariableKey) =>
  service ? `${name} (of service ${service})` : name;

/** A project's configuration: its variables, one stream per repository, a version per change. */
export class ProjectConfiguration extends AggregateRoot<ConfigurationEvent> {
  private readonly variables = new Map<string, Set>();
  private current = 0;

  constructor(
    readonly org: string,
    readonly repo: string,
  ) {
    super();
  }

  static streamId(org: string, repo: string): string {
    return `configuration-${org}/${repo}`;
  }

  /** The configuration's version: how many changes made it (not the stream's version, though it is the same). */
  get configurationVersion(): number {
    return this.current;
  }

  /** The variables as they are now, sealed values sealed. */
  get all(): Set[] {
    return [...this.variables.values()];
  }

  /** Sets and removes variables in one change, each once; a variable removed must exist. */
  change(set: Set[], removed: VariableKey[]): void {
    const keys = [...set, ...removed].map(keyOf);
    if (new Set(keys).size !== keys.length) throw new InvalidInput('each variable once in one change');
    for (const key of removed) {
      if (!this.variables.has(keyOf(key))) {
        throw new NotFound(`variable ${describeVariable(key)} of ${this.org}/${this.repo} does not exist`);
      }
    }
    const after = new Map(this.variables);
    for (const variable of set) after.set(keyOf(variable), variable);
    for (const key of removed) after.delete(keyOf(key));
    if (after.size > MAX_VARIABLES) {
      throw new InvalidInput(
        `a project has at most ${MAX_VARIABLES} variables: this would make ${after.size}`,
      );
    }
    const bytes = [...after.values()].reduce((sum, variable) => sum + bytesOf(variable), 0);
    if (bytes > MAX_CONFIGURATION_BYTES) {
      throw new InvalidInput(
        `a project's variables take at most ${MAX_CONFIGURATION_BYTES / 1024} KiB together (names and values): ` +
          `this would make ${Math.ceil(bytes / 1024)} KiB`,
      );
    }
    this.record({
      type: 'ConfigurationChanged',
      data: { org: this.org, repo: this.repo, version: this.current + 1, set, removed },
    });
  }

  /** Removes every variable (its project is removed); nothing to record when there is none. */
  clear(): void {
    if (this.variables.size === 0) return;
    const removed = this.all.map(({ name, service }) => ({ name, service }));
    this.record({
      type: 'ConfigurationChanged',
      data: { org: this.org, repo: this.repo, version: this.current + 1, set: [], removed },
    });
  }

  protected apply(event: ConfigurationEvent): void {
    for (const variable of event.data.set) this.variables.set(keyOf(variable), variable);
    for (const key of event.data.removed) this.variables.delete(keyOf(key));
    this.current = event.data.version;
  }
}
