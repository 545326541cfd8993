import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { memberContainer } from './member-container';
import { MemberContainers } from './member-containers';

/** ICP `listContainers` and `showContainer`: state and resource use from LXD's state endpoint. */
@Injectable()
export class ContainerQueriesHandler {
  constructor(private readonly containers: MemberContainers) {}

  async list(): Promise<IcpResult<'listContainers'>> {
    const instances = await this.containers.all();
    return { containers: await Promise.all(instances.map((i) => this.containers.info(memberContainer(i)))) };
  }

  show({ name }: IcpData<'showContainer'>): Promise<IcpResult<'showContainer'>> {
    return this.containers.info(name);
  }
}
