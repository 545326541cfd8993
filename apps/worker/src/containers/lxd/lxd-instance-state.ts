import { LxdError } from './lxd-error';
import { instancePath, type LxdSocket } from './lxd-socket';
import type { LxdInstanceState } from './lxd-types';

/** What a member sees of their container: LXD's state endpoint, in units one can show. */
export interface InstanceStateView {
  /** LXD's word: Running, Stopped, Frozen, Error. */
  status: string;
  running: boolean;
  /** Global IPv4 addresses of the container's interfaces (not loopback). */
  ipv4: string[];
  memoryBytes: number;
  memoryPeakBytes: number;
  /** CPU time used since start. */
  cpuSeconds: number;
  /** Root disk use, when the storage pool can tell (a `dir` pool without quotas may not). */
  diskBytes: number | null;
  processes: number;
}

/** `/1.0/instances/NAME/state`: status, addresses and resource use. */
export class LxdInstanceStates {
  constructor(private readonly socket: LxdSocket) {}

  raw(name: string): Promise<LxdInstanceState> {
    return this.socket.sync({ path: instancePath(name, 'state') });
  }

  async get(name: string): Promise<InstanceStateView> {
    const state = await this.raw(name);
    return {
      status: state.status,
      running: state.status === 'Running',
      ipv4: Object.entries(state.network ?? {})
        .filter(([nic]) => nic !== 'lo')
        .flatMap(([, nic]) => nic.addresses)
        .filter((a) => a.family === 'inet' && a.scope === 'global')
        .map((a) => a.address),
      memoryBytes: state.memory?.usage ?? 0,
      memoryPeakBytes: state.memory?.usage_peak ?? 0,
      cpuSeconds: (state.cpu?.usage ?? 0) / 1e9,
      diskBytes: state.disk?.root?.usage ?? null,
      processes: state.processes,
    };
  }

  /** The first IPv4 address the container gets from DHCP; LxdError 504 if none comes in time. */
  async waitForIpv4(name: string, timeoutMs = 30_000, intervalMs = 250): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { ipv4, status } = await this.get(name);
      if (ipv4.length > 0) return ipv4[0];
      if (Date.now() > deadline) {
        throw new LxdError(`${name} (${status}) got no IPv4 address within ${timeoutMs / 1000}s`, 504);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
