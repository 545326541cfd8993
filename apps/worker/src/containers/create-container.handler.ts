import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { ContainerPlacement } from './container-placement';
import { ContainerSetup } from './container-setup';
import { LxdClient } from './lxd/lxd-client';
import { instanceConfig, instanceDevices, memberContainer, nic, userIdsConfig } from './member-container';
import { MemberContainers } from './member-containers';
import { authorizedKeys } from './ssh-keys';

/** ICP `createContainer`: an unprivileged container with limits, the member's user and keys, sshd answering. */
@Injectable()
export class CreateContainerHandler {
  constructor(
    private readonly lxd: LxdClient,
    private readonly config: WorkerConfig,
    private readonly containers: MemberContainers,
    private readonly placement: ContainerPlacement,
    private readonly setup: ContainerSetup,
  ) {}

  async create(
    data: IcpData<'createContainer'>,
    context: CommandContext,
  ): Promise<IcpResult<'createContainer'>> {
    const { name, image, limits, user, sshPort, nesting } = data;
    const keys = authorizedKeys(data.sshKeys);
    if (!this.config.CONTAINER_IMAGES.includes(image)) {
      throw new IcpError(
        IcpErrorCode.Forbidden,
        `image ${image} is not allowed on this Worker (allowed: ${this.config.CONTAINER_IMAGES.join(', ')})`,
      );
    }
    await this.lxd.images.alias(image).catch(() => {
      throw new IcpError(IcpErrorCode.NotFound, `image ${image} is allowed but not on this LXD`);
    });
    context.progress(`creating ${name} from ${image}`);
    let created = false;
    try {
      await this.placement.place(
        sshPort,
        async (placement) => {
          context.progress(`address ${placement.ipv4}, SSH on 127.0.0.1:${sshPort}`);
          if (created) {
            await this.lxd.instances.update(name, {
              devices: { eth0: nic(placement.network, placement.ipv4) },
            });
          } else {
            await this.lxd.instances.create({
              name,
              image,
              config: instanceConfig({
                image,
                user,
                limits,
                nesting,
                processes: this.config.CONTAINER_PROCESSES,
              }),
              devices: instanceDevices(placement, limits),
            });
            created = true;
          }
          context.progress(`starting ${name}`);
          await this.lxd.instances.start(name);
        },
        name,
      );
      context.progress(`adding user ${user} with sudo`);
      const ids = await this.setup.addUser(name, user);
      await this.lxd.instances.updateConfig(name, userIdsConfig(ids.uid, ids.gid));
      const container = memberContainer(await this.lxd.instances.get(name));
      await this.setup.writeKeys(container, keys, true);
      context.progress(`${data.sshKeys.length} SSH key(s) installed; waiting for sshd`);
      await this.setup.waitForSsh(sshPort);
      context.progress(`sshd answers on 127.0.0.1:${sshPort}`);
      return await this.containers.info(container);
    } catch (err) {
      if (created) {
        context.progress(`set-up failed, removing ${name}`);
        await this.containers.kill(name).catch(() => undefined);
        await this.lxd.instances.delete(name).catch(() => undefined);
      }
      throw err;
    }
  }
}
