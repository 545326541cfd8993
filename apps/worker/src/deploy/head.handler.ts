import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { GitRepositories } from './git-repositories';
import { WorkerAllowList } from './worker-allow-list';

/** ICP `head`: the commit a branch points at on its git host, for the Manager's poller. */
@Injectable()
export class HeadHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly git: GitRepositories,
  ) {}

  async head({ org, repo, branch }: IcpData<'head'>): Promise<IcpResult<'head'>> {
    this.allowList.check(org);
    return { commit: await this.git.head(org, repo, branch) };
  }
}
