import { Injectable } from '@nestjs/common';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { conflict } from './container-errors';
import { LxdClient } from './lxd/lxd-client';
import type { Placement } from './member-container';

/**
 * Where a new container goes: the bridge and storage pool of LXD's default profile, the first free host
 * address of the bridge's subnet, and a host port for SSH that no instance's proxy listens on yet. Choosing
 * and creating run one at a time, so that two creations never pick the same address or port.
 */
@Injectable()
export class ContainerPlacement {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly lxd: LxdClient) {}

  /**
   * Runs `work` (which creates or re-addresses the instance) with a placement no other instance has. `placing`
   * names an instance that exists already (a backup just imported): its own old devices do not count.
   */
  place<T>(sshPort: number, work: (placement: Placement) => Promise<T>, placing?: string): Promise<T> {
    const turn = this.queue.then(async () => work(await this.choose(sshPort, placing)));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async choose(sshPort: number, placing?: string): Promise<Placement> {
    const profile = await this.lxd.networks.profile('default');
    const network = profile.devices.eth0?.network;
    const pool = profile.devices.root?.pool;
    if (!network || !pool) {
      throw new IcpError(
        IcpErrorCode.CommandFailed,
        "LXD's default profile has no eth0 network or root pool",
      );
    }
    const [bridge, leases, instances] = await Promise.all([
      this.lxd.networks.get(network),
      this.lxd.networks.leases(network),
      this.lxd.instances.list(),
    ]);
    const devices = instances
      .filter((instance) => instance.name !== placing)
      .flatMap((instance) => Object.values(instance.expanded_devices));
    if (devices.some((device) => device.type === 'proxy' && device.listen?.endsWith(`:${sshPort}`))) {
      throw conflict(`host port ${sshPort} is already forwarded to an instance`);
    }
    const used = new Set([
      ...leases.map((lease) => lease.address),
      ...devices.flatMap((device) => device['ipv4.address'] ?? []),
    ]);
    return { network, pool, ipv4: firstFree(bridge.config['ipv4.address'] ?? '', used), sshPort };
  }
}

/** The first host address of `cidr` (`10.151.0.1/24`) that is not in `used`; the bridge's own is used. */
export function firstFree(cidr: string, used: Set<string>): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match)
    throw new IcpError(IcpErrorCode.CommandFailed, `the bridge has no IPv4 subnet (${cidr || 'none'})`);
  const address = match.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(match[5]));
  const network = address - (address % size);
  const text = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  for (let host = network + 1; host < network + size - 1; host++) {
    if (host !== address && !used.has(text(host))) return text(host);
  }
  throw new IcpError(IcpErrorCode.Conflict, `no free address left on the bridge's subnet ${cidr}`);
}
