import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { MAX_REASON } from '@testausdeploy/domain';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ComposeCli, ComposeError, ComposeProject, composeProjectName } from './compose-cli';
import { resolveComposePath } from './compose-path';
import { diskUsage } from './disk-usage';
import { GitRepositories } from './git-repositories';
import { HealthWaitOptions, waitHealthy } from './health-wait';
import { WorkerConfig } from '../config/worker-config';
import { ComposePolicyError, ComposeGate } from './policy/compose-gate';
import { ComposeFileError } from './policy/compose-references';
import { ProjectContainers } from './project-containers';
import { ProjectCheckouts } from './workspace/project-checkouts';
import { ProjectData } from './workspace/project-data';
import { ProjectLocks } from './workspace/project-locks';
import { AppsNetwork } from './routes/apps-network';
import { RoutedService } from './routes/project-routes';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `deploy`: fetch the branch, check its commit out into a fresh checkout, check the compose path and file
 * against the deploy policy, run compose on the checked file, report containers.
 */
@Injectable()
export class DeployHandler {
  private readonly health: HealthWaitOptions;
  private readonly reposDir: string;

  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly git: GitRepositories,
    private readonly checkouts: ProjectCheckouts,
    private readonly data: ProjectData,
    private readonly compose: ComposeCli,
    private readonly gate: ComposeGate,
    private readonly containers: ProjectContainers,
    private readonly locks: ProjectLocks,
    private readonly appsNetwork: AppsNetwork,
    config: WorkerConfig,
  ) {
    this.health = { timeoutMs: config.HEALTH_TIMEOUT_MS, settleMs: config.HEALTH_SETTLE_MS, pollMs: 500 };
    this.reposDir = config.REPOS_DIR;
  }

  async deploy(data: IcpData<'deploy'>, context: CommandContext): Promise<IcpResult<'deploy'>> {
    const name = composeProjectName(data.org, data.repo);
    return this.locks
      .run(name, () => this.run(name, data, context))
      .catch((error: unknown) => {
        throw bounded(error);
      });
  }

  private async run(
    name: string,
    {
      org,
      repo,
      branch,
      composePath,
      commit: pinned,
      composeDigest: expected,
      variables,
      routes,
    }: IcpData<'deploy'>,
    context: CommandContext,
  ): Promise<IcpResult<'deploy'>> {
    this.allowList.check(org);
    const commit = await this.git.fetch(org, repo, branch, pinned);
    // Only a repository that exists claims its project's name (and keeps it while the project has data).
    await this.data.claim(name, `${org}/${repo}`.toLowerCase());
    context.progress(`checked out ${org}/${repo}@${branch} at ${commit}`);
    const checkout = await this.checkouts.create(name, org, repo, commit);
    const upstreams = await this.upstreams(name, routes ?? []);
    let project: ComposeProject;
    let composeDigest: string;
    try {
      const file = await resolveComposePath(checkout, composePath);
      composeDigest = `sha256:${createHash('sha256')
        .update(await readFile(file))
        .digest('hex')}`;
      if (expected && composeDigest !== expected) {
        throw new IcpError(
          IcpErrorCode.CommandFailed,
          `the compose file ${composePath} at ${commit} is not the one that ran then (${composeDigest}, not ${expected})`,
        );
      }
      const legacyClone = path.join(this.reposDir, org, repo);
      const admitted = await this.gate
        .admit(
          {
            name,
            checkout,
            file,
            data: {
              mountDir: (relative) => this.data.mountDir(name, relative),
              prepare: (relative) => this.data.prepare(name, relative, legacyClone),
            },
          },
          { variables: variables ?? [], routes: upstreams },
          (line) => context.progress(line),
        )
        .catch((error: Error) => {
          if (error instanceof ComposePolicyError || error instanceof ComposeFileError) {
            throw new IcpError(IcpErrorCode.Forbidden, error.message);
          }
          throw error;
        });
      for (const note of admitted.notes) context.progress(note);
      context.progress(`compose file checked against the deploy policy`);
      project = admitted.project;
    } catch (error) {
      await this.checkouts.discard(checkout);
      throw error;
    }
    try {
      await this.compose.up(project, (line) => context.progress(line));
    } finally {
      // The checkout the checked file names now, and any a container still mounts from, stay; the rest go.
      await this.checkouts.prune(name, [checkout, ...(await this.containers.mountSources(name))]);
    }
    await waitHealthy(() => this.containers.list(name), this.health).catch((error: Error) => {
      throw new IcpError(IcpErrorCode.Unhealthy, `${org}/${repo} at ${commit}: ${error.message}`);
    });
    context.progress('containers are up and healthy');
    const [containers, diskBytes] = await Promise.all([
      this.containers.list(name),
      diskUsage([checkout, this.data.dir(name)]),
    ]);
    return { commit, composeDigest, containers, diskBytes, upstreams };
  }

  /** Each routed service at its fixed address on the apps network. */
  private async upstreams(
    name: string,
    routes: NonNullable<IcpData<'deploy'>['routes']>,
  ): Promise<RoutedService[]> {
    if (routes.length === 0) return [];
    const addresses = await this.appsNetwork.addresses(
      name,
      routes.map(({ service }) => service),
    );
    return routes.map(({ service, port }) => ({ service, port, address: addresses.get(service) ?? '' }));
  }
}

/** The error as the Manager records it: a compose failure as its fixed summary, and never a giant reason. */
function bounded(error: unknown): unknown {
  const icp =
    error instanceof IcpError
      ? error
      : new IcpError(
          IcpErrorCode.CommandFailed,
          error instanceof ComposeError
            ? error.reason
            : error instanceof Error
              ? error.message
              : String(error),
        );
  if (icp.message.length <= MAX_REASON) return icp;
  return new IcpError(icp.code, `${icp.message.slice(0, MAX_REASON)}…`);
}
