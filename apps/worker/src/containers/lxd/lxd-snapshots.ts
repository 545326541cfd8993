import type { LxdOperations } from './lxd-operations';
import { instancePath, type LxdSocket } from './lxd-socket';
import type { LxdSnapshot } from './lxd-types';

/** Stateless snapshots on the instance's own storage pool (CRIU, needed for stateful ones, fails here). */
export class LxdSnapshots {
  constructor(
    private readonly socket: LxdSocket,
    private readonly operations: LxdOperations,
  ) {}

  list(instance: string): Promise<LxdSnapshot[]> {
    return this.socket.sync({ path: `${instancePath(instance, 'snapshots')}?recursion=1` });
  }

  /** `expiresAt` lets LXD delete the snapshot itself. */
  async create(instance: string, name: string, expiresAt?: Date): Promise<void> {
    await this.operations.run({
      method: 'POST',
      path: instancePath(instance, 'snapshots'),
      json: { name, stateful: false, ...(expiresAt ? { expires_at: expiresAt.toISOString() } : {}) },
    });
  }

  /** Puts the instance back to the snapshot; a running container is restarted on it. */
  async restore(instance: string, name: string): Promise<void> {
    await this.operations.run({ method: 'PUT', path: instancePath(instance), json: { restore: name } });
  }

  async delete(instance: string, name: string): Promise<void> {
    await this.operations.run({ method: 'DELETE', path: instancePath(instance, 'snapshots', name) });
  }
}
