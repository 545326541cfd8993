import type { ContainerLimits } from '@testausdeploy/icp';
import type { LxdConfig, LxdDevices, LxdInstance } from './lxd/lxd-types';

/**
 * How a member's container is written down in LXD: our marks in `user.testausdeploy.*` config keys, limits
 * in LXD's own keys, and three devices of its own (a static address, a sized root disk, the SSH proxy).
 * Everything the Worker knows about a container is read back from there, so LXD is the only state.
 */
const MARK = 'user.testausdeploy';
export const MANAGED = `${MARK}.managed`;

export interface ContainerSpec {
  image: string;
  user: string;
  limits: ContainerLimits;
  nesting: boolean;
  /** `limits.processes`, from the Worker's config. */
  processes: number;
}

export interface Placement {
  network: string;
  pool: string;
  ipv4: string;
  sshPort: number;
}

/** What the Worker reads back from a managed instance. */
export interface MemberContainer {
  name: string;
  image: string;
  user: string;
  /** Of `user` inside the container; null until set-up has created the user. */
  uid: number | null;
  gid: number | null;
  ipv4: string | null;
  sshPort: number;
  limits: ContainerLimits;
  nesting: boolean;
  createdAt: string;
}

export function limitsConfig(limits: ContainerLimits): LxdConfig {
  return { 'limits.cpu': String(limits.cpus), 'limits.memory': `${limits.memoryMiB}MiB` };
}

export function rootDisk(pool: string, diskGiB: number): Record<string, string> {
  return { type: 'disk', path: '/', pool, size: `${diskGiB}GiB` };
}

/**
 * A container's NIC on the bridge, at its own address, with LXD's filtering: the host drops what the container
 * sends from another MAC or IP address, so a member with root inside cannot take another container's address
 * (and receive its forwarded SSH).
 */
export function nic(network: string, ipv4: string): Record<string, string> {
  return { type: 'nic', name: 'eth0', network, 'ipv4.address': ipv4, ...ADDRESS_FILTERING };
}

export const ADDRESS_FILTERING = {
  'security.mac_filtering': 'true',
  'security.ipv4_filtering': 'true',
  'security.ipv6_filtering': 'true',
};

/** sshd of the container on 127.0.0.1:port of the host (LXD forwards it; the Guardian opens it outside). */
export function sshProxy(port: number): Record<string, string> {
  return { type: 'proxy', listen: `tcp:127.0.0.1:${port}`, connect: 'tcp:127.0.0.1:22', bind: 'host' };
}

export function instanceConfig(spec: ContainerSpec): LxdConfig {
  return {
    [MANAGED]: 'true',
    [`${MARK}.image`]: spec.image,
    [`${MARK}.user`]: spec.user,
    'security.privileged': 'false',
    'security.nesting': String(spec.nesting),
    ...limitsConfig(spec.limits),
    'limits.processes': String(spec.processes),
  };
}

export function instanceDevices(placement: Placement, limits: ContainerLimits): LxdDevices {
  return {
    eth0: nic(placement.network, placement.ipv4),
    root: rootDisk(placement.pool, limits.diskGiB),
    ssh: sshProxy(placement.sshPort),
  };
}

export function userIdsConfig(uid: number, gid: number): LxdConfig {
  return { [`${MARK}.uid`]: String(uid), [`${MARK}.gid`]: String(gid) };
}

export function isManaged(instance: LxdInstance): boolean {
  return instance.config[MANAGED] === 'true';
}

export function sshPortOf(devices: LxdDevices): number | null {
  const match = /^tcp:127\.0\.0\.1:(\d+)$/.exec(devices.ssh?.listen ?? '');
  return match ? Number(match[1]) : null;
}

export function memberContainer(instance: LxdInstance): MemberContainer {
  const { config, devices } = instance;
  const id = (key: string) => (config[`${MARK}.${key}`] ? Number(config[`${MARK}.${key}`]) : null);
  return {
    name: instance.name,
    image: config[`${MARK}.image`] ?? '',
    user: config[`${MARK}.user`] ?? '',
    uid: id('uid'),
    gid: id('gid'),
    ipv4: devices.eth0?.['ipv4.address'] ?? null,
    sshPort: sshPortOf(devices) ?? 0,
    limits: {
      cpus: Number(config['limits.cpu'] ?? 1),
      memoryMiB: Number.parseInt(config['limits.memory'] ?? '0', 10),
      diskGiB: Number.parseInt(devices.root?.size ?? '0', 10),
    },
    nesting: config['security.nesting'] === 'true',
    createdAt: instance.created_at,
  };
}
