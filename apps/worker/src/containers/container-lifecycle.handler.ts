import { Injectable } from '@nestjs/common';
import { IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ContainerSetup } from './container-setup';
import { LxdClient } from './lxd/lxd-client';
import { MemberContainers } from './member-containers';
import { authorizedKeys } from './ssh-keys';

/** ICP `containerAction`, `deleteContainer`, `setContainerLimits`, `setSshKeys`. */
@Injectable()
export class ContainerLifecycleHandler {
  constructor(
    private readonly lxd: LxdClient,
    private readonly containers: MemberContainers,
    private readonly setup: ContainerSetup,
  ) {}

  /** Start and stop are idempotent; start and restart return once sshd answers again. */
  async action({ name, action }: IcpData<'containerAction'>): Promise<IcpResult<'containerAction'>> {
    const container = await this.containers.get(name);
    const running = await this.containers.running(name);
    if (action === 'stop' && running) await this.stop(name);
    if (action === 'start' && !running) await this.lxd.instances.start(name);
    if (action === 'restart') {
      if (running) await this.stop(name);
      await this.lxd.instances.start(name);
    }
    if (action !== 'stop') await this.setup.waitForSsh(container.sshPort);
    return this.containers.info(container);
  }

  /** Deletes the container and its snapshots; its exported backups stay in the backup directory. */
  async delete({ name }: IcpData<'deleteContainer'>): Promise<IcpResult<'deleteContainer'>> {
    await this.containers.get(name);
    await this.containers.kill(name);
    await this.lxd.instances.delete(name);
    return { name };
  }

  async setLimits({ name, limits }: IcpData<'setContainerLimits'>): Promise<IcpResult<'setContainerLimits'>> {
    const container = await this.containers.get(name);
    await this.containers.applyLimits(name, limits);
    // LXD applies a changed limits.cpu to a running container only when it restarts (notes/lxd.md).
    const restarted = limits.cpus !== container.limits.cpus && (await this.containers.running(name));
    if (restarted) {
      await this.stop(name);
      await this.lxd.instances.start(name);
      await this.setup.waitForSsh(container.sshPort);
    }
    return { ...(await this.containers.info(name)), restarted };
  }

  async setSshKeys({ name, user, sshKeys }: IcpData<'setSshKeys'>): Promise<IcpResult<'setSshKeys'>> {
    const keys = authorizedKeys(sshKeys);
    const container = await this.containers.get(name);
    if (user !== container.user) {
      throw new IcpError(IcpErrorCode.InvalidData, `${name}'s user is ${container.user}, not ${user}`);
    }
    await this.setup.writeKeys(container, keys, await this.containers.running(name));
    return this.containers.info(container);
  }

  /** A clean shutdown, forced when the container does not stop within 30 s. */
  private async stop(name: string): Promise<void> {
    await this.lxd.instances
      .stop(name, { timeoutSeconds: 30 })
      .catch(() => this.lxd.instances.stop(name, { force: true }));
  }
}
