import type { LxdOperations } from './lxd-operations';
import { instancePath, type LxdSocket } from './lxd-socket';
import type { LxdConfig, LxdDevices, LxdInstance } from './lxd-types';

export interface CreateInstance {
  name: string;
  /** An image alias on this LXD, e.g. `testausdeploy/bookworm`. */
  image: string;
  /** Instance config, e.g. `limits.cpu`, `limits.memory`, `security.nesting`. */
  config?: LxdConfig;
  /**
   * Devices on top of the profiles', e.g. a proxy device, or a root disk with a size: a quota on the btrfs pool
   * scripts/lib.sh sets up (a `dir` pool would accept a size without enforcing it).
   */
  devices?: LxdDevices;
  /** Defaults to LXD's `default` profile. */
  profiles?: string[];
  description?: string;
}

export interface InstanceChanges {
  config?: Record<string, string | null>;
  devices?: Record<string, Record<string, string> | null>;
}

export type InstanceAction = 'start' | 'stop' | 'restart' | 'freeze' | 'unfreeze';

export interface StateChange {
  /** Kill instead of a clean shutdown (stop, restart). */
  force?: boolean;
  /** Seconds LXD gives a clean shutdown before it fails the operation. */
  timeoutSeconds?: number;
}

/** System containers: `/1.0/instances`. Instance start, stop and restart go through their state. */
export class LxdInstances {
  constructor(
    private readonly socket: LxdSocket,
    private readonly operations: LxdOperations,
  ) {}

  list(): Promise<LxdInstance[]> {
    return this.socket.sync({ path: '/1.0/instances?recursion=1' });
  }

  get(name: string): Promise<LxdInstance> {
    return this.socket.sync({ path: instancePath(name) });
  }

  /** Creates a stopped container from an image (LXD 5.0.2 cannot create and start in one request). */
  async create(spec: CreateInstance): Promise<void> {
    await this.operations.run({
      method: 'POST',
      path: '/1.0/instances',
      json: {
        name: spec.name,
        type: 'container',
        source: { type: 'image', alias: spec.image },
        config: spec.config ?? {},
        devices: spec.devices ?? {},
        ...(spec.profiles ? { profiles: spec.profiles } : {}),
        description: spec.description ?? '',
      },
    });
  }

  async setState(name: string, action: InstanceAction, change: StateChange = {}): Promise<void> {
    await this.operations.run({
      method: 'PUT',
      path: instancePath(name, 'state'),
      json: { action, force: change.force ?? false, timeout: change.timeoutSeconds ?? 30 },
    });
  }

  start(name: string): Promise<void> {
    return this.setState(name, 'start');
  }

  stop(name: string, change?: StateChange): Promise<void> {
    return this.setState(name, 'stop', change);
  }

  restart(name: string, change?: StateChange): Promise<void> {
    return this.setState(name, 'restart', change);
  }

  /**
   * Sets config keys and removes those given as null, keeping the rest. Note that LXD applies some limits
   * (limits.cpu) to a running container only after a restart.
   */
  updateConfig(name: string, changes: Record<string, string | null>): Promise<void> {
    return this.update(name, { config: changes });
  }

  /** Changes config keys and the instance's own devices (a device given as null is removed). */
  async update(name: string, changes: InstanceChanges): Promise<void> {
    const instance = await this.get(name);
    await this.operations.run({
      method: 'PUT',
      path: instancePath(name),
      json: {
        architecture: instance.architecture,
        config: merged(instance.config, changes.config),
        devices: merged(instance.devices, changes.devices),
        ephemeral: instance.ephemeral,
        profiles: instance.profiles,
        description: instance.description,
      },
    });
  }

  /** Deletes a stopped container with its snapshots (stop it first). */
  async delete(name: string): Promise<void> {
    await this.operations.run({ method: 'DELETE', path: instancePath(name) });
  }
}

function merged<T>(current: Record<string, T>, changes: Record<string, T | null> = {}): Record<string, T> {
  const result = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result;
}
