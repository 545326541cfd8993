import type Dockerode from 'dockerode';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { hostAddresses, ipv4Text, KeyedLock, Subnet } from '@testausdeploy/service';

/** Docker's bridge option that keeps containers on one bridge from reaching each other. */
const ICC = 'com.docker.network.bridge.enable_icc';
/** Only one allocation at a time: two projects never get the same address. */
const ALLOCATION = 'apps-network';

/**
 * The network the proxy reaches routed services on: one Docker bridge for every project's routed services, with
 * a subnet of the Worker's choosing and inter-container traffic off (`enable_icc=false`), so the host reaches each
 * app and no app reaches another's through it. Each routed service has a fixed address on it: the one its
 * container has, else one reserved for it while this Worker runs, else the first free one.
 */
export class AppsNetwork {
  private readonly lock = new KeyedLock();
  /** `project/service` → address, for services whose containers may not exist yet. */
  private readonly reserved = new Map<string, string>();

  constructor(
    private readonly docker: Dockerode,
    readonly name: string,
    private readonly subnet: Subnet,
  ) {}

  /** The addresses of a project's routed services, creating the network the first time. */
  addresses(project: string, services: readonly string[]): Promise<Map<string, string>> {
    return this.lock.run(ALLOCATION, async () => {
      const containers = await this.ensure();
      const used = new Set([...containers.values(), ...this.reserved.values()]);
      const chosen = new Map<string, string>();
      for (const service of new Set(services)) {
        const key = `${project}/${service}`;
        const address = this.reserved.get(key) ?? containers.get(key) ?? this.firstFree(used);
        used.add(address);
        this.reserved.set(key, address);
        chosen.set(service, address);
      }
      return chosen;
    });
  }

  /** The compose project whose container holds each of `addresses` on the apps network, where one does. */
  holders(addresses: readonly string[]): Promise<Map<string, string>> {
    return this.lock.run(ALLOCATION, async () => {
      const wanted = new Set(addresses);
      const found = new Map<string, string>();
      for (const [key, address] of await this.ensure())
        if (wanted.has(address)) found.set(address, key.slice(0, key.indexOf('/')));
      return found;
    });
  }

  /** Forgets a removed project's reservations (its containers are gone, and their addresses with them). */
  release(project: string): void {
    for (const key of this.reserved.keys()) if (key.startsWith(`${project}/`)) this.reserved.delete(key);
  }

  /**
   * The network as it must be, made if missing; its containers' addresses by `project/service`. A network of that
   * name with another subnet or with inter-container traffic on is not taken over: the admin decides.
   */
  private async ensure(): Promise<Map<string, string>> {
    const network = this.docker.getNetwork(this.name);
    let info = (await network.inspect().catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return null;
      throw error;
    })) as NetworkInfo | null;
    if (!info) {
      await this.docker
        .createNetwork({
          Name: this.name,
          Driver: 'bridge',
          CheckDuplicate: true,
          IPAM: { Driver: 'default', Config: [{ Subnet: this.subnet.text }] },
          Options: { [ICC]: 'false' },
          Labels: { 'org.testausdeploy.apps-network': 'true' },
        })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 409) throw error;
        });
      info = (await network.inspect()) as NetworkInfo;
    }
    const subnets = (info.IPAM?.Config ?? []).map((config) => config.Subnet);
    if (!subnets.includes(this.subnet.text) || info.Options?.[ICC] !== 'false') {
      throw new IcpError(
        IcpErrorCode.CommandFailed,
        `the Docker network ${this.name} is not the apps network this Worker needs (subnet ${this.subnet.text}, ` +
          `${ICC}=false); it has subnet ${subnets.join(', ') || 'none'} and ${ICC}=${info.Options?.[ICC] ?? 'unset'}`,
      );
    }
    const containers = new Map<string, string>();
    for (const { Labels, NetworkSettings } of await this.docker.listContainers({
      all: true,
      filters: { network: [this.name] },
    })) {
      const project = Labels['com.docker.compose.project'];
      const service = Labels['com.docker.compose.service'];
      const address = NetworkSettings.Networks[this.name]?.IPAMConfig?.IPv4Address;
      if (project && service && address) containers.set(`${project}/${service}`, address);
    }
    return containers;
  }

  private firstFree(used: Set<string>): string {
    let first = true;
    for (const host of hostAddresses(this.subnet)) {
      // The first host address is the bridge's own (Docker's gateway).
      if (first) {
        first = false;
        continue;
      }
      const address = ipv4Text(host);
      if (!used.has(address)) return address;
    }
    throw new IcpError(IcpErrorCode.Conflict, `no free address left on the apps network ${this.subnet.text}`);
  }
}

interface NetworkInfo {
  IPAM?: { Config?: { Subnet: string }[] };
  Options?: Record<string, string>;
}
