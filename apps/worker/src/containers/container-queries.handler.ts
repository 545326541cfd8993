import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { LxdClient } from './lxd/lxd-client';
import { LxdError } from './lxd/lxd-error';
import { memberContainer } from './member-container';
import { MemberContainers } from './member-containers';

/**
 * ICP `listContainers` and `showContainer`: state and resource use from LXD's state endpoint; `containerImages`:
 * the allow-list, each alias with whether LXD has it.
 */
@Injectable()
export class ContainerQueriesHandler {
  constructor(
    private readonly containers: MemberContainers,
    private readonly lxd: LxdClient,
    private readonly config: WorkerConfig,
  ) {}

  async list(): Promise<IcpResult<'listContainers'>> {
    const instances = await this.containers.all();
    return { containers: await Promise.all(instances.map((i) => this.containers.info(memberContainer(i)))) };
  }

  show({ name }: IcpData<'showContainer'>): Promise<IcpResult<'showContainer'>> {
    return this.containers.info(name);
  }

  async images(): Promise<IcpResult<'containerImages'>> {
    // Only a missing alias means "not here"; LXD failing otherwise is the Worker's error, not a missing image.
    const available = (alias: string) =>
      this.lxd.images.alias(alias).then(
        () => true,
        (err: unknown) => {
          if (err instanceof LxdError && err.status === 404) return false;
          throw err;
        },
      );
    return {
      images: await Promise.all(
        this.config.CONTAINER_IMAGES.map(async (alias) => ({ alias, available: await available(alias) })),
      ),
    };
  }
}
