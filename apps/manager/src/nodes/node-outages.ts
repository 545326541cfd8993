import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NodeKind, Observations } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';
import { ObservationRecorder } from '../observations/observation-recorder';
import { NodeConnections } from './node-connections';

/** How often sessions are looked at, at most: a tenth of the threshold, at least every ten seconds. */
const LOOK_EVERY_MS = 10_000;

/**
 * Watches the Manager's sessions to the nodes: one down for NODE_UNREACHABLE_AFTER_MS is recorded as
 * unreachable (`NodeUnreachable`, once per outage), so admins hear of it. The clock starts when this Manager
 * first finds the session down, so a restart of the Manager does not count as the node's outage.
 */
@Injectable()
export class NodeOutages implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NodeOutages.name);
  private readonly down = new Map<string, { since: Date; recorded: boolean }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ManagerConfig,
    private readonly connections: NodeConnections,
    private readonly observations: ObservationRecorder,
  ) {}

  onApplicationBootstrap(): void {
    const after = this.config.NODE_UNREACHABLE_AFTER_MS;
    if (after === 0) return;
    this.timer = setInterval(() => void this.look(), Math.min(Math.max(after / 10, 100), LOOK_EVERY_MS));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One look at every session. */
  async look(now = new Date()): Promise<void> {
    const nodes = (['worker', 'guardian'] as NodeKind[]).flatMap((kind) =>
      this.connections.ofKind(kind).map(({ name, client }) => ({ name, kind, connected: client.connected })),
    );
    for (const name of this.down.keys())
      if (!nodes.some((node) => node.name === name)) this.down.delete(name);
    for (const { name, kind, connected } of nodes) {
      if (connected) {
        this.down.delete(name);
        continue;
      }
      const outage = this.down.get(name) ?? { since: now, recorded: false };
      this.down.set(name, outage);
      if (outage.recorded || now.getTime() - outage.since.getTime() < this.config.NODE_UNREACHABLE_AFTER_MS)
        continue;
      outage.recorded = true;
      const since = outage.since.toISOString();
      await this.observations
        .record(
          () => Observations.ofNode(name),
          (seen) => seen.nodeUnreachable({ node: name, kind, since }),
          'manager',
        )
        .catch((error: Error) =>
          this.logger.error(`recording that ${name} is unreachable: ${error.message}`),
        );
    }
  }
}
