import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { ProjectSlots } from './handover/project-slots';
import { ProjectContainers } from './project-containers';
import { WorkerAllowList } from './worker-allow-list';

/** ICP `usage`: a deployed project's containers with restarts, CPU and memory, from dockerd. */
@Injectable()
export class UsageHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly containers: ProjectContainers,
    private readonly slots: ProjectSlots,
  ) {}

  async usage({ org, repo }: IcpData<'usage'>): Promise<IcpResult<'usage'>> {
    this.allowList.check(org);
    return { containers: await this.containers.usage((await this.slots.of(org, repo)).live) };
  }
}
