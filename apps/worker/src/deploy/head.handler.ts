import { Injectable } from '@nestjs/common';
import { IcpData, IcpResult } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { GitRepositories } from './git-repositories';
import { GitHubHeads } from './github-heads';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `head`: the commit a branch points at on its git host, for the Manager's poller: by `git ls-remote`, or
 * from GitHub's REST API with conditional requests (`HEAD_SOURCE`).
 */
@Injectable()
export class HeadHandler {
  private readonly github: GitHubHeads | null;

  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly git: GitRepositories,
    config: WorkerConfig,
  ) {
    this.github =
      config.HEAD_SOURCE === 'github'
        ? new GitHubHeads({
            apiUrl: config.GITHUB_API_URL,
            authorization: (org, repo) => git.authorization(org, repo),
          })
        : null;
  }

  async head({ org, repo, branch }: IcpData<'head'>): Promise<IcpResult<'head'>> {
    this.allowList.check(org);
    const commit = this.github
      ? await this.github.head(org, repo, branch)
      : await this.git.head(org, repo, branch);
    return { commit };
  }
}
