import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LxdClient } from './lxd/lxd-client';
import { ADDRESS_FILTERING, isManaged } from './member-container';

/**
 * Turns LXD's address filtering on for the members' containers made before their NICs had it (see `nic`), once
 * the Worker starts: a container that could take another's address should not wait for its owner to recreate it.
 * LXD applies the change to a running container's NIC at once.
 */
@Injectable()
export class AddressFiltering implements OnApplicationBootstrap {
  private readonly logger = new Logger(AddressFiltering.name);

  constructor(private readonly lxd: LxdClient) {}

  /** Not awaited: the Worker serves meanwhile, and a host without LXD only logs why. */
  onApplicationBootstrap(): void {
    void this.apply().catch((error: Error) =>
      this.logger.warn(`could not check the containers' address filtering: ${error.message}`),
    );
  }

  /** The names of the containers whose NIC was changed. */
  async apply(): Promise<string[]> {
    const changed: string[] = [];
    for (const instance of (await this.lxd.instances.list()).filter(isManaged)) {
      const eth0 = instance.devices.eth0;
      if (!eth0 || Object.entries(ADDRESS_FILTERING).every(([key, value]) => eth0[key] === value)) continue;
      await this.lxd.instances.update(instance.name, {
        devices: { eth0: { ...eth0, ...ADDRESS_FILTERING } },
      });
      this.logger.log(`container ${instance.name}: address filtering turned on`);
      changed.push(instance.name);
    }
    return changed;
  }
}
