import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { WorkerConfig } from '../config/worker-config';
import { ComposeCli, composeProjectName } from './compose-cli';
import { resolveComposePath } from './compose-path';
import { GitRepositories } from './git-repositories';
import { ComposePolicyError, ComposeGate } from './policy/compose-gate';
import { ComposeFileError } from './policy/compose-references';
import { ProjectContainers } from './project-containers';

/**
 * ICP `deploy`: bring the clone to the branch head, check the compose path and file against the deploy policy,
 * run compose on the checked file, report containers.
 */
@Injectable()
export class DeployHandler {
  private readonly allowedOrgs: Set<string>;

  constructor(
    config: WorkerConfig,
    private readonly git: GitRepositories,
    private readonly compose: ComposeCli,
    private readonly gate: ComposeGate,
    private readonly containers: ProjectContainers,
  ) {
    this.allowedOrgs = new Set(config.ALLOWED_ORGS.map((org) => org.toLowerCase()));
  }

  async deploy(
    { org, repo, branch, composePath }: IcpData<'deploy'>,
    context: CommandContext,
  ): Promise<IcpResult<'deploy'>> {
    // The Manager checks the allow-list too; the Worker runs the code, so it does not take that on trust.
    if (!this.allowedOrgs.has(org.toLowerCase())) {
      throw new IcpError(IcpErrorCode.Forbidden, `organisation "${org}" is not on this Worker's allow-list`);
    }
    const { dir, commit } = await this.git.checkout(org, repo, branch);
    context.progress(`checked out ${org}/${repo}@${branch} at ${commit}`);
    const project = { name: composeProjectName(org, repo), file: await resolveComposePath(dir, composePath) };
    const composeDigest = `sha256:${createHash('sha256')
      .update(await readFile(project.file))
      .digest('hex')}`;
    const checked = await this.gate.admit(project, dir).catch((error: Error) => {
      if (error instanceof ComposePolicyError || error instanceof ComposeFileError) {
        throw new IcpError(IcpErrorCode.Forbidden, error.message);
      }
      throw error;
    });
    context.progress(`compose file checked against the deploy policy`);
    await this.compose.up(checked, (line) => context.progress(line));
    return { commit, composeDigest, containers: await this.containers.list(project.name) };
  }
}
