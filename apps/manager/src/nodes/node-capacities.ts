import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { NodeCapacity } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { NodeConnections } from './node-connections';
import { NodeSessionOpened } from './node-session-opened.event';

/** How long a Worker has to answer `capacity`. */
const CAPACITY_TIMEOUT_MS = 15_000;

/** A Worker's capacity as it last reported it, and when. */
export type ReportedCapacity = NodeCapacity & { at: Date };

/**
 * What each Worker last said of its capacity: asked when its session opens and every CAPACITY_INTERVAL_MS. The
 * Nodes page shows it; placement chooses by it. Kept in memory only: a restarted Manager asks again.
 */
@Injectable()
export class NodeCapacities implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NodeCapacities.name);
  private readonly reported = new Map<string, ReportedCapacity>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ManagerConfig,
    private readonly connections: NodeConnections,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.CAPACITY_INTERVAL_MS;
    if (every === 0) return;
    this.timer = setInterval(() => void this.refreshAll(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  of(name: string): ReportedCapacity | null {
    return this.reported.get(name) ?? null;
  }

  /** Asks every connected Worker; resolves when all have answered or failed (a failure keeps the last report). */
  async refreshAll(): Promise<void> {
    await Promise.all(
      this.connections
        .ofKind('worker')
        .filter(({ client }) => client.connected)
        .map(({ name }) => this.refresh(name)),
    );
  }

  async refresh(name: string): Promise<void> {
    const client = this.connections.ofKind('worker').find((node) => node.name === name)?.client;
    if (!client) {
      this.reported.delete(name);
      return;
    }
    try {
      const capacity = await client.request('capacity', {}, { timeoutMs: CAPACITY_TIMEOUT_MS });
      this.reported.set(name, { ...capacity, at: new Date() });
    } catch (error) {
      this.logger.warn(`worker ${name} did not report its capacity: ${(error as Error).message}`);
    }
  }
}

/** A Worker whose session opens is asked at once, so placement never waits an interval for it. */
@EventsHandler(NodeSessionOpened)
export class CapacityOnSession implements IEventHandler<NodeSessionOpened> {
  constructor(private readonly capacities: NodeCapacities) {}

  handle({ name, kind }: NodeSessionOpened): void {
    if (kind === 'worker') void this.capacities.refresh(name);
  }
}
