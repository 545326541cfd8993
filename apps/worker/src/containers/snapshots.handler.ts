import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { notFound } from './container-errors';
import { ContainerSetup } from './container-setup';
import { LxdClient } from './lxd/lxd-client';
import { MemberContainers } from './member-containers';

/** ICP `createSnapshot`, `listSnapshots`, `restoreSnapshot`, `deleteSnapshot`: stateless LXD snapshots. */
@Injectable()
export class SnapshotsHandler {
  constructor(
    private readonly lxd: LxdClient,
    private readonly containers: MemberContainers,
    private readonly setup: ContainerSetup,
  ) {}

  async create({ name, snapshot }: IcpData<'createSnapshot'>): Promise<IcpResult<'createSnapshot'>> {
    await this.containers.get(name);
    await this.lxd.snapshots.create(name, snapshot);
    const created = (await this.snapshots(name)).find((s) => s.name === snapshot);
    if (!created) throw notFound(`snapshot ${snapshot} of ${name}`);
    return created;
  }

  async list({ name }: IcpData<'listSnapshots'>): Promise<IcpResult<'listSnapshots'>> {
    await this.containers.get(name);
    return { snapshots: await this.snapshots(name) };
  }

  /**
   * Puts the container's files back. Its limits, authorized_keys, address and SSH port stay as they are now: a
   * restore must not bring back a key the member has since removed, nor the address or network of a snapshot taken
   * before the container moved to this node (another container may have that address here now). A running
   * container is restarted by LXD and answered for once its sshd does (a CPU change between snapshot and now
   * applies from the next restart).
   */
  async restore({ name, snapshot }: IcpData<'restoreSnapshot'>): Promise<IcpResult<'restoreSnapshot'>> {
    const container = await this.containers.get(name);
    const keys = await this.setup.readKeys(container);
    const { eth0, ssh } = (await this.lxd.instances.get(name)).devices;
    await this.lxd.snapshots.restore(name, snapshot);
    await this.lxd.instances.update(name, { devices: { eth0, ssh } });
    await this.containers.applyLimits(name, container.limits);
    const running = await this.containers.running(name);
    if (keys) await this.setup.writeKeys(container, keys.toString(), running);
    if (running) await this.setup.waitForSsh(container.sshPort);
    return this.containers.info(name);
  }

  async delete({ name, snapshot }: IcpData<'deleteSnapshot'>): Promise<IcpResult<'deleteSnapshot'>> {
    await this.containers.get(name);
    await this.lxd.snapshots.delete(name, snapshot);
    return { name, snapshot };
  }

  private async snapshots(name: string) {
    const snapshots = await this.lxd.snapshots.list(name);
    return snapshots.map((s) => ({ name: s.name, createdAt: s.created_at }));
  }
}
