import { performance } from 'node:perf_hooks';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Observations, PollingBackedOff, Unavailable } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { ObservationRecorder } from '../observations/observation-recorder';
import { ProjectPlacements } from '../placement/project-placements';
import { BranchFollower } from './branch-follower';
import { sourceKey, WatchedSources } from './watched-sources';

/** A failing repository is skipped for the interval doubled per failure, at most this long. */
const MAX_BACKOFF_MS = 60 * 60_000;

/** What one repository's check came to. */
type Outcome = 'unchanged' | 'followed' | 'failed' | 'backedOff' | 'unreachable';

/** How a round went: the repositories per outcome, and how long it took. */
export type RoundSummary = Record<Outcome, number> & { ms: number };

/**
 * Keeps deployed repositories on their branch head: on every round (the interval with ±20% jitter, never
 * two at once) it asks the Worker each project runs on for the head of its deployed branch (`git ls-remote` there) and requests a
 * deployment (actor `poller`, through BranchFollower) when it differs from what runs: one commit is deployed
 * at most once, even across restarts, so a broken commit fails once and stays failed until the next push.
 * One whose head cannot be read is backed off.
 */
@Injectable()
export class RepositoryPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RepositoryPoller.name);
  private readonly failures = new Map<string, { count: number; until: number }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly config: ManagerConfig,
    private readonly sources: WatchedSources,
    private readonly placements: ProjectPlacements,
    private readonly follower: BranchFollower,
    private readonly observations: ObservationRecorder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.POLL_INTERVAL_MS > 0) this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One round over every watched repository; resolves when all are checked. */
  async round(): Promise<RoundSummary> {
    const start = performance.now();
    const sources = await this.sources.all();
    // Back-off kept only for what is still followed.
    const followed = new Set(sources.map(sourceKey));
    for (const key of this.failures.keys()) if (!followed.has(key)) this.failures.delete(key);
    const summary: RoundSummary = {
      unchanged: 0,
      followed: 0,
      failed: 0,
      backedOff: 0,
      unreachable: 0,
      ms: 0,
    };
    let next = 0;
    const check = async () => {
      while (next < sources.length && !this.stopped) summary[await this.check(sources[next++])]++;
    };
    await Promise.all(Array.from({ length: this.config.POLL_CONCURRENCY }, check));
    summary.ms = Math.round(performance.now() - start);
    // bench/deploy/poller.bench.ts reads this line to tell where rounds end.
    this.logger.debug(
      `poll round: ${sources.length} repositories in ${summary.ms} ms (${summary.unchanged} unchanged, ` +
        `${summary.followed} followed, ${summary.failed} failed, ${summary.backedOff} backed off, ` +
        `${summary.unreachable} on a node that is down)`,
    );
    return summary;
  }

  private schedule(): void {
    const delay = this.config.POLL_INTERVAL_MS * (0.8 + 0.4 * Math.random());
    this.timer = setTimeout(() => {
      void this.round()
        .catch((error: Error) => this.logger.error(`poll round failed: ${error.message}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, delay);
    this.timer.unref();
  }

  private recordBackoff(data: PollingBackedOff['data']): Promise<void> {
    return this.observations
      .record(
        () => Observations.ofPolling(data.org, data.repo),
        (seen) => seen.pollingBackedOff(data),
        'poller',
      )
      .catch((error: Error) =>
        this.logger.error(`recording the back-off of ${data.org}/${data.repo}: ${error.message}`),
      );
  }

  private async check(newest: DeploymentView): Promise<Outcome> {
    const key = sourceKey(newest);
    const failing = this.failures.get(key);
    if (failing && Date.now() < failing.until) return 'backedOff';
    const { org, repo, branch } = newest;
    try {
      const { commit } = await (
        await this.placements.workerOf(org, repo)
      ).request('head', { org, repo, branch }, { timeoutMs: 30_000 });
      this.failures.delete(key);
      return (await this.follower.follow(newest, commit, 'poller')) ? 'followed' : 'unchanged';
    } catch (error) {
      // A source whose node is down is skipped: asked again when it is back, never of another node.
      if (error instanceof Unavailable) return 'unreachable';
      const count = (failing?.count ?? 0) + 1;
      const wait = Math.min(this.config.POLL_INTERVAL_MS * 2 ** count, MAX_BACKOFF_MS);
      this.failures.set(key, { count, until: Date.now() + wait });
      const reason = (error as Error).message;
      const retryInSeconds = Math.round(wait / 1000);
      this.logger.warn(`${org}/${repo}@${branch}: ${reason} (next try in ${retryInSeconds} s)`);
      // Recorded when a streak starts, not for every retry of it.
      if (count === 1) await this.recordBackoff({ org, repo, branch, reason, retryInSeconds });
      return 'failed';
    }
  }
}
