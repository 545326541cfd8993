import { Injectable } from '@nestjs/common';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { hostAddresses, ipv4Text, parseCidr } from '@testausdeploy/service';
import { conflict } from './container-errors';
import { LxdClient } from './lxd/lxd-client';
import { LxdError } from './lxd/lxd-error';
import type { Placement } from './member-container';

/**
 * Where a new container goes: the bridge and storage pool of LXD's default profile, the first free host
 * address of the bridge's subnet, and a host port for SSH that no instance's proxy listens on yet. Choosing
 * and creating run one at a time, so that two creations never pick the same address or port.
 *
 * That queue is this process's only: another Worker on the same LXD, or an admin's `lxc`, can take the chosen
 * address between the choice and the work. LXD checks that no other NIC has the address when it updates or
 * starts an instance (not when it creates one), so the work addresses the instance and starts it; when LXD
 * refuses the address, the placement is chosen again without it and the work runs again, a few times.
 */
@Injectable()
export class ContainerPlacement {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly lxd: LxdClient) {}

  /**
   * Runs `work` (which creates or re-addresses the instance, then starts it) with a placement no other instance
   * has; it runs again with another placement when LXD refuses the address. `placing` names the instance,
   * which may exist already (a backup just imported, a creation tried again): its own devices do not count.
   */
  place<T>(sshPort: number, work: (placement: Placement) => Promise<T>, placing?: string): Promise<T> {
    const turn = this.queue.then(() => this.attempt(sshPort, work, placing, new Set()));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async attempt<T>(
    sshPort: number,
    work: (placement: Placement) => Promise<T>,
    placing: string | undefined,
    refused: Set<string>,
  ): Promise<T> {
    const placement = await this.choose(sshPort, placing, refused);
    try {
      return await work(placement);
    } catch (err) {
      if (!(err instanceof LxdError && ADDRESS_TAKEN.test(err.message)) || refused.size >= RETRIES) throw err;
      refused.add(placement.ipv4);
      return this.attempt(sshPort, work, placing, refused);
    }
  }

  private async choose(
    sshPort: number,
    placing: string | undefined,
    refused: Set<string>,
  ): Promise<Placement> {
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
      ...refused,
      ...leases.map((lease) => lease.address),
      ...devices.flatMap((device) => device['ipv4.address'] ?? []),
    ]);
    return { network, pool, ipv4: firstFree(bridge.config['ipv4.address'] ?? '', used), sshPort };
  }
}

/** LXD's refusal of a NIC whose static address another NIC has. */
const ADDRESS_TAKEN = /already defined on another NIC/;
const RETRIES = 3;

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
