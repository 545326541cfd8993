import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ComposeCli, composeProjectName } from './compose-cli';
import { resolveComposePath } from './compose-path';
import { diskUsage } from './disk-usage';
import { GitRepositories } from './git-repositories';
import { HealthWaitOptions, waitHealthy } from './health-wait';
import { WorkerConfig } from '../config/worker-config';
import { ComposePolicyError, ComposeGate } from './policy/compose-gate';
import { ComposeFileError } from './policy/compose-references';
import { ProjectContainers } from './project-containers';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `deploy`: bring the clone to the branch head, check the compose path and file against the deploy policy,
 * run compose on the checked file, report containers.
 */
@Injectable()
export class DeployHandler {
  private readonly health: HealthWaitOptions;

  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly git: GitRepositories,
    private readonly compose: ComposeCli,
    private readonly gate: ComposeGate,
    private readonly containers: ProjectContainers,
    config: WorkerConfig,
  ) {
    this.health = { timeoutMs: config.HEALTH_TIMEOUT_MS, settleMs: config.HEALTH_SETTLE_MS, pollMs: 500 };
  }

  async deploy(
    { org, repo, branch, composePath, commit: pinned, composeDigest: expected }: IcpData<'deploy'>,
    context: CommandContext,
  ): Promise<IcpResult<'deploy'>> {
    this.allowList.check(org);
    const { dir, commit } = await this.git.checkout(org, repo, branch, pinned);
    context.progress(`checked out ${org}/${repo}@${branch} at ${commit}`);
    const project = { name: composeProjectName(org, repo), file: await resolveComposePath(dir, composePath) };
    const composeDigest = `sha256:${createHash('sha256')
      .update(await readFile(project.file))
      .digest('hex')}`;
    if (expected && composeDigest !== expected) {
      throw new IcpError(
        IcpErrorCode.CommandFailed,
        `the compose file ${composePath} at ${commit} is not the one that ran then (${composeDigest}, not ${expected})`,
      );
    }
    const checked = await this.gate.admit(project, dir).catch((error: Error) => {
      if (error instanceof ComposePolicyError || error instanceof ComposeFileError) {
        throw new IcpError(IcpErrorCode.Forbidden, error.message);
      }
      throw error;
    });
    context.progress(`compose file checked against the deploy policy`);
    await this.compose.up(checked, (line) => context.progress(line));
    await waitHealthy(() => this.containers.list(project.name), this.health).catch((error: Error) => {
      throw new IcpError(IcpErrorCode.Unhealthy, `${org}/${repo} at ${commit}: ${error.message}`);
    });
    context.progress('containers are up and healthy');
    const [containers, diskBytes] = await Promise.all([this.containers.list(project.name), diskUsage(dir)]);
    return { commit, composeDigest, containers, diskBytes };
  }
}
