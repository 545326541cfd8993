import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ManagerConfig } from '../config/manager-config';
import { RequestDeploymentCommand } from '../deployments/commands/request-deployment.command';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { ReadModels } from '../events/read-models';
import { NodeConnections } from '../nodes/node-connections';

/** A failing repository is skipped for the interval doubled per failure, at most this long. */
const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * Keeps deployed repositories on their branch head: on every round (the interval with ±20% jitter, never
 * two at once) it asks a Worker for the head of each deployed branch (`git ls-remote` there) and requests a
 * deployment (actor `poller`) when it differs from what runs. The request's command id is the source and the
 * commit, so one commit is deployed by the poller at most once, even across restarts: a broken commit fails
 * once and stays failed until the next push. Repositories whose newest deployment is stopped or removed are
 * left alone; one whose head cannot be read is backed off.
 */
@Injectable()
export class RepositoryPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RepositoryPoller.name);
  private readonly failures = new Map<string, { count: number; until: number }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly config: ManagerConfig,
    private readonly readModels: ReadModels,
    private readonly nodes: NodeConnections,
    private readonly commands: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.POLL_INTERVAL_MS > 0) this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One round over every watched repository; resolves when all are checked. */
  async round(): Promise<void> {
    await this.readModels.started;
    const sources = await this.watched();
    let next = 0;
    const check = async () => {
      while (next < sources.length && !this.stopped) await this.check(sources[next++]);
    };
    await Promise.all(Array.from({ length: this.config.POLL_CONCURRENCY }, check));
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

  /** The newest deployment of every source (repository, branch, compose file) that is to follow its branch. */
  private async watched(): Promise<DeploymentView[]> {
    const views = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find(
        {},
        {
          projection: {
            _id: 0,
            id: 1,
            org: 1,
            repo: 1,
            branch: 1,
            composePath: 1,
            status: 1,
            commit: 1,
            requestedAt: 1,
          },
        },
      )
      .sort({ requestedAt: -1 })
      .toArray();
    const newest = new Map<string, DeploymentView>();
    for (const view of views) if (!newest.has(sourceKey(view))) newest.set(sourceKey(view), view);
    return [...newest.values()].filter((view) => view.status === 'succeeded' || view.status === 'failed');
  }

  private async check(newest: DeploymentView): Promise<void> {
    const key = sourceKey(newest);
    const failing = this.failures.get(key);
    if (failing && Date.now() < failing.until) return;
    const { org, repo, branch, composePath } = newest;
    try {
      const { commit } = await this.nodes
        .worker()
        .request('head', { org, repo, branch }, { timeoutMs: 30_000 });
      this.failures.delete(key);
      if (newest.status === 'succeeded' && newest.commit === commit) return;
      const commandId = `poll:${createHash('sha256').update(key).digest('hex').slice(0, 16)}:${commit}`;
      await this.commands.execute(
        new RequestDeploymentCommand({ org, repo, branch, composePath }, 'poller', commandId),
      );
    } catch (error) {
      const count = (failing?.count ?? 0) + 1;
      const wait = Math.min(this.config.POLL_INTERVAL_MS * 2 ** count, MAX_BACKOFF_MS);
      this.failures.set(key, { count, until: Date.now() + wait });
      this.logger.warn(
        `${org}/${repo}@${branch}: ${(error as Error).message} (next try in ${Math.round(wait / 1000)} s)`,
      );
    }
  }
}

function sourceKey({ org, repo, branch, composePath }: DeploymentView): string {
  return JSON.stringify([org, repo, branch, composePath]);
}
