import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { composeProjectName } from './compose-cli';
import { ProjectContainers } from './project-containers';
import { WorkerAllowList } from './worker-allow-list';

/** ICP `usage`: a deployed project's containers with restarts, CPU and memory, from dockerd. */
@Injectable()
export class UsageHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly containers: ProjectContainers,
  ) {}

  async usage({ org, repo }: IcpData<'usage'>): Promise<IcpResult<'usage'>> {
    this.allowList.check(org);
    return { containers: await this.containers.usage(composeProjectName(org, repo)) };
  }
}
