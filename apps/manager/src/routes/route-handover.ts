import { Injectable } from '@nestjs/common';
import { EventStore } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { ReadModels } from '../events/read-models';
import { ProjectPlacements } from '../placement/project-placements';
import { RouteSync } from './route-sync';

/**
 * The end of a zero-downtime redeploy, once its success is recorded (docs/proxy.md): the proxy of the project's
 * node (its Worker's Guardian) is brought onto the new version's upstreams, and only when it took it does the
 * Worker retire the old version, after REDEPLOY_DRAIN_MS for the requests it still answers. If the Guardian did
 * not take it, the old version keeps serving: it stays until the next redeploy clears it.
 */
@Injectable()
export class RouteHandover {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly sync: RouteSync,
    private readonly placements: ProjectPlacements,
    private readonly config: ManagerConfig,
  ) {}

  async complete(org: string, repo: string, retire: string, log: (line: string) => void): Promise<void> {
    const started = new Date();
    await this.readModels.waitFor(await this.store.headPosition());
    const guardian = await this.placements.guardianOf(org, repo);
    if (guardian) await this.sync.sync(guardian);
    const status = guardian ? this.sync.status(guardian) : null;
    if (!status?.applied || status.at < started) {
      log(
        `the proxy of ${guardian ?? "the project's node"} did not take the new route: the old version keeps running for it`,
      );
      return;
    }
    log(`the proxy sends requests to the new version`);
    const worker = await this.placements.workerOf(org, repo).catch((error: Error) => {
      log(`the old version was not retired: ${error.message}`);
      return null;
    });
    await worker
      ?.request(
        'retire',
        { org, repo, slot: retire, drainMs: this.config.REDEPLOY_DRAIN_MS },
        { timeoutMs: this.config.REDEPLOY_DRAIN_MS + 120_000, onProgress: log },
      )
      .catch((error: Error) => log(`the old version was not retired: ${error.message}`));
  }
}
