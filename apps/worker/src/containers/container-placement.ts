import { Injectable } from '@nestjs/common';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { hostAddresses, ipv4Text, parseCidr } from '@testausdeploy/service';
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
  const parsed = parseCidr(cidr);
  if (!parsed)
    throw new IcpError(IcpErrorCode.CommandFailed, `the bridge has no IPv4 subnet (${cidr || 'none'})`);
  for (const host of hostAddresses(parsed.subnet)) {
    if (host !== parsed.address && !used.has(ipv4Text(host))) return ipv4Text(host);
  }
  throw new IcpError(IcpErrorCode.Conflict, `no free address left on the bridge's subnet ${cidr}`);
}
