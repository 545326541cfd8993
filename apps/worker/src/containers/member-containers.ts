import { Injectable } from '@nestjs/common';
import { ContainerInfo, ContainerLimits, IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { LxdClient } from './lxd/lxd-client';
import type { LxdInstance } from './lxd/lxd-types';
import { isManaged, limitsConfig, memberContainer, MemberContainer, rootDisk } from './member-container';
import { asIcpError } from './container-errors';

/**
 * Members' containers in LXD. Every command reaches an instance through `get`, which refuses any instance
 * without our mark: the Worker can never stop or delete an LXD instance that someone else made on the host.
 */
@Injectable()
export class MemberContainers {
  constructor(private readonly lxd: LxdClient) {}

  async get(name: string): Promise<MemberContainer> {
    const instance = await this.lxd.instances.get(name).catch((err: unknown) => {
      throw asIcpError(err);
    });
    if (!isManaged(instance)) {
      throw new IcpError(
        IcpErrorCode.Forbidden,
        `${name} is an LXD instance that testausdeploy does not manage`,
      );
    }
    return memberContainer(instance);
  }

  async all(): Promise<LxdInstance[]> {
    return (await this.lxd.instances.list()).filter(isManaged);
  }

  async running(name: string): Promise<boolean> {
    return (await this.lxd.state.get(name)).running;
  }

  /** The container as the Manager shows it: our record of it and LXD's state now. */
  async info(container: MemberContainer | string): Promise<ContainerInfo> {
    const record = typeof container === 'string' ? await this.get(container) : container;
    const state = await this.lxd.state.get(record.name);
    return {
      name: record.name,
      status: state.status,
      image: record.image,
      user: record.user,
      ipv4: record.ipv4,
      sshPort: record.sshPort,
      limits: record.limits,
      nesting: record.nesting,
      createdAt: record.createdAt,
      usage: {
        cpuSeconds: state.cpuSeconds,
        memoryBytes: state.memoryBytes,
        diskBytes: state.diskBytes,
        processes: state.processes,
      },
    };
  }

  /** Sets CPU and memory limits and the root disk's size (see setContainerLimits on when CPUs apply). */
  async applyLimits(name: string, limits: ContainerLimits): Promise<void> {
    const pool = (await this.lxd.instances.get(name)).devices.root?.pool ?? 'default';
    await this.lxd.instances.update(name, {
      config: limitsConfig(limits),
      devices: { root: rootDisk(pool, limits.diskGiB) },
    });
  }

  /** Stops a container at once if it runs (deleting or re-creating it next). */
  async kill(name: string): Promise<void> {
    if (await this.running(name)) await this.lxd.instances.stop(name, { force: true });
  }
}
