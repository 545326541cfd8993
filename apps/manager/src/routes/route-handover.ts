import { Injectable } from '@nestjs/common';
import { EventStore } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { ReadModels } from '../events/read-models';
import { NodeConnections } from '../nodes/node-connections';
import { RouteSync } from './route-sync';

/**
 * The end of a zero-downtime redeploy, once its success is recorded (docs/proxy.md): every Guardian's proxy is
 * brought onto the new version's upstreams, and only when all of them took it does the Worker retire the old
 * version, after REDEPLOY_DRAIN_MS for the requests it still answers. A Guardian that did not take it keeps the
 * old version serving: it stays until the next redeploy clears it.
 */
@Injectable()
export class RouteHandover {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly sync: RouteSync,
    private readonly nodes: NodeConnections,
    private readonly config: ManagerConfig,
  ) {}

  async complete(org: string, repo: string, retire: string, log: (line: string) => void): Promise<void> {
    const started = new Date();
    await this.readModels.waitFor(await this.store.headPosition());
    await this.sync.syncAll();
    const behind = this.nodes
      .ofKind('guardian')
      .filter(({ name }) => {
        const status = this.sync.status(name);
        return !status?.applied || status.at < started;
      })
      .map(({ name }) => name);
    if (behind.length > 0) {
      log(
        `the proxy of ${behind.join(', ')} did not take the new route: the old version keeps running for it`,
      );
      return;
    }
    log(`the proxy sends requests to the new version`);
    await this.nodes
      .worker()
      .request(
        'retire',
        { org, repo, slot: retire, drainMs: this.config.REDEPLOY_DRAIN_MS },
        { timeoutMs: this.config.REDEPLOY_DRAIN_MS + 120_000, onProgress: log },
      )
      .catch((error: Error) => log(`the old version was not retired: ${error.message}`));
  }
}
