import { Injectable, Logger } from '@nestjs/common';
import type { NodeCapacity } from '@testausdeploy/icp';
import { LxdClient } from './lxd/lxd-client';
import { MemberContainers } from './member-containers';

/**
 * Members' containers' share of the Worker's capacity: the storage pool of LXD's default profile (where new
 * containers go), how many of ours there are, and which LXD and project they are in. Null where LXD does not
 * answer: such a Worker takes none.
 */
@Injectable()
export class ContainerCapacity {
  private readonly logger = new Logger(ContainerCapacity.name);

  constructor(
    private readonly lxd: LxdClient,
    private readonly containers: MemberContainers,
  ) {}

  async measure(): Promise<Pick<NodeCapacity, 'storagePool' | 'memberContainers' | 'containerHost'>> {
    try {
      const pool = (await this.lxd.networks.profile('default')).devices.root?.pool;
      const [resources, containers, server] = await Promise.all([
        pool ? this.lxd.storagePools.resources(pool) : null,
        this.containers.all(),
        this.lxd.socket.sync<{ environment: { certificate_fingerprint: string } }>({ path: '/1.0' }),
      ]);
      const containerHost = `${server.environment.certificate_fingerprint}/${this.lxd.socket.project}`;
      const storagePool = resources && {
        name: pool as string,
        totalBytes: resources.space.total,
        freeBytes: Math.max(0, resources.space.total - resources.space.used),
      };
      return { storagePool, memberContainers: containers.length, containerHost };
    } catch (error) {
      this.logger.warn(`LXD did not say how full it is: ${(error as Error).message}`);
      return { storagePool: null, memberContainers: null, containerHost: null };
    }
  }
}
