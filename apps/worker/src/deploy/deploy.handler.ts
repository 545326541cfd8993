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
import { LiveSlot } from './handover/live-slot';
import { ProjectSlots, Slots } from './handover/project-slots';
import { AppsNetwork } from './routes/apps-network';
import { RoutedService } from './routes/project-routes';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `deploy`: fetch the branch, check its commit out into a fresh checkout, check the compose path and file
 * against the deploy policy, run compose on the checked file (beside the running version where the project has
 * routes and can run twice), report containers.
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
    private readonly slots: ProjectSlots,
    private readonly liveSlot: LiveSlot,
    config: WorkerConfig,
  ) {
    this.health = { timeoutMs: config.HEALTH_TIMEOUT_MS, settleMs: config.HEALTH_SETTLE_MS, pollMs: 500 };
    this.reposDir = config.REPOS_DIR;
  }

  async deploy(data: IcpData<'deploy'>, context: CommandContext): Promise<IcpResult<'deploy'>> {
    return this.locks
      .run(composeProjectName(data.org, data.repo), () => this.run(data, context))
      .catch((error: unknown) => {
        throw bounded(error);
      });
  }

  private async run(
    {
      org,
      repo,
      branch,
      composePath,
      commit: pinned,
      composeDigest: expected,
      variables,
      routes,
      routedTo,
    }: IcpData<'deploy'>,
    context: CommandContext,
  ): Promise<IcpResult<'deploy'>> {
    this.allowList.check(org);
    const slots = await this.liveSlot.of(org, repo, routedTo, (line) => context.progress(line));
    const { project: name } = slots;
    const commit = await this.git.fetch(org, repo, branch, pinned);
    // Only a repository that exists claims its project's name (and keeps it while the project has data).
    await this.data.claim(name, `${org}/${repo}`.toLowerCase());
    context.progress(`checked out ${org}/${repo}@${branch} at ${commit}`);
    const checkout = await this.checkouts.create(name, org, repo, commit);
    let admitted: Admitted;
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
      const admit = (runAs: string) =>
        this.admit({ name, runAs, checkout, file, legacyClone }, variables ?? [], routes ?? [], context);
      admitted = await this.handover(slots, routes ?? [], admit, context);
    } catch (error) {
      await this.checkouts.discard(checkout);
      throw error;
    }
    const { project, upstreams, handover } = admitted;
    const beside = handover?.mode === 'beside';
    try {
      // What an earlier handover left of the slot (a Worker stopped before the old version was retired) goes.
      if (beside) await this.containers.removeContainers(project.name, true);
      await this.compose
        .up(project, (line) => context.progress(line))
        .catch(async (error: unknown) => {
          // Whatever of the new version compose started goes with it: the running version keeps serving.
          if (beside) await this.containers.removeContainers(project.name, true);
          throw error;
        });
    } finally {
      // The checkout the checked file names now, and any a container of either slot mounts from, stay; the rest go.
      const mounted = await Promise.all(
        [slots.live, slots.other].map((slot) => this.containers.mountSources(slot)),
      );
      await this.checkouts.prune(name, [checkout, ...mounted.flat()]);
    }
    await waitHealthy(() => this.containers.list(project.name), this.health).catch(async (error: Error) => {
      if (!beside)
        throw new IcpError(IcpErrorCode.Unhealthy, `${org}/${repo} at ${commit}: ${error.message}`);
      // Nothing was replaced: the new version goes, and the running one keeps serving (no rollback needed).
      await this.containers.removeContainers(project.name, true);
      throw new IcpError(
        IcpErrorCode.CommandFailed,
        `${org}/${repo} at ${commit}: ${error.message}; it was removed, and the version running before keeps serving`,
      );
    });
    context.progress('containers are up and healthy');
    if (beside) {
      await this.slots.serve(name, project.name);
      context.progress(
        `the new version runs beside the old one: the route switches to it, then the old one (${handover.retire}) is retired`,
      );
    }
    const [containers, diskBytes] = await Promise.all([
      this.containers.list(project.name),
      diskUsage([checkout, this.data.dir(name)]),
    ]);
    return { commit, composeDigest, containers, diskBytes, upstreams, ...(handover && { handover }) };
  }

  /**
   * Where the new version runs. A routed project whose version serves now starts the new one in its other slot,
   * beside the old one, unless it cannot run twice (beside-check.ts): then, as every project without a route or
   * without a running version, in place. A routed project's deployment says which, and why.
   */
  private async handover(
    slots: Slots,
    routes: Route[],
    admit: (runAs: string) => Promise<Omit<Admitted, 'handover'>>,
    context: CommandContext,
  ): Promise<Admitted> {
    if (routes.length === 0) return admit(slots.live);
    const serving = (await this.containers.list(slots.live)).some(({ state }) => state === 'running');
    if (serving) {
      const beside = await admit(slots.other);
      if (beside.besideProblem === null) {
        context.progress(
          `zero-downtime redeploy: the new version starts beside the running one (${slots.other})`,
        );
        return { ...beside, handover: { mode: 'beside', retire: slots.live } };
      }
      const reason = `the new version cannot run beside the old one: ${beside.besideProblem}`;
      context.progress(`ordinary redeploy, in place: ${reason}`);
      return { ...(await admit(slots.live)), handover: { mode: 'replace', reason } };
    }
    const reason = 'no version of it is running';
    context.progress(`ordinary redeploy, in place: ${reason}`);
    return { ...(await admit(slots.live)), handover: { mode: 'replace', reason } };
  }

  /** The compose file checked and made runnable as compose project `runAs`, its routed services' addresses chosen. */
  private async admit(
    admission: { name: string; runAs: string; checkout: string; file: string; legacyClone: string },
    variables: NonNullable<IcpData<'deploy'>['variables']>,
    routes: Route[],
    context: CommandContext,
  ): Promise<Omit<Admitted, 'handover'>> {
    const { name, runAs, checkout, file, legacyClone } = admission;
    const upstreams = await this.upstreams(runAs, routes);
    const admitted = await this.gate
      .admit(
        {
          name,
          runAs,
          checkout,
          file,
          data: {
            mountDir: (relative) => this.data.mountDir(name, relative),
            prepare: (relative) => this.data.prepare(name, relative, legacyClone),
          },
        },
        { variables, routes: upstreams },
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
    return { project: admitted.project, upstreams, besideProblem: admitted.besideProblem };
  }

  /** Each routed service at its fixed address on the apps network, in compose project `runAs`. */
  private async upstreams(runAs: string, routes: Route[]): Promise<RoutedService[]> {
    if (routes.length === 0) return [];
    const addresses = await this.appsNetwork.addresses(
      runAs,
      routes.map(({ service }) => service),
    );
    return routes.map(({ service, port }) => ({ service, port, address: addresses.get(service) ?? '' }));
  }
}

type Route = NonNullable<IcpData<'deploy'>['routes']>[number];
type Handover = NonNullable<IcpResult<'deploy'>['handover']>;

interface Admitted {
  project: ComposeProject;
  upstreams: RoutedService[];
  besideProblem: string | null;
  handover?: Handover;
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
