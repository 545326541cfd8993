import type { LxdSocket } from './lxd-socket';
import type { LxdConfig, LxdDevices } from './lxd-types';

export interface LxdNetwork {
  name: string;
  type: string;
  managed: boolean;
  /** e.g. `ipv4.address: 10.151.0.1/24` on a managed bridge. */
  config: LxdConfig;
}

export interface LxdNetworkLease {
  hostname: string;
  hwaddr: string;
  address: string;
  /** `gateway`, `static` (an instance's ipv4.address) or `dynamic` (a DHCP lease). */
  type: string;
}

export interface LxdProfile {
  name: string;
  config: LxdConfig;
  devices: LxdDevices;
}

/** Managed networks (`/1.0/networks`) and profiles (`/1.0/profiles`): where new instances are plugged in. */
export class LxdNetworks {
  constructor(private readonly socket: LxdSocket) {}

  get(name: string): Promise<LxdNetwork> {
    return this.socket.sync({ path: `/1.0/networks/${encodeURIComponent(name)}` });
  }

  /** Addresses the network's DHCP server has handed out or reserved, the gateway's included. */
  leases(name: string): Promise<LxdNetworkLease[]> {
    return this.socket.sync({ path: `/1.0/networks/${encodeURIComponent(name)}/leases` });
  }

  profile(name: string): Promise<LxdProfile> {
    return this.socket.sync({ path: `/1.0/profiles/${encodeURIComponent(name)}` });
  }
}
