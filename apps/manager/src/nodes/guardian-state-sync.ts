import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DriftReport, IcpClient } from '@testausdeploy/icp';
import { NodeConnections } from './node-connections';

/** How the last attempt to bring a Guardian in line went. */
export interface GuardianSyncStatus {
  at: Date;
  applied: boolean;
  /** The Guardian's refusal or the reason it could not be reached. */
  error: string | null;
}

interface Entry<S> {
  running: Promise<void> | null;
  again: boolean;
  /** The newest drift report recorded, acknowledged with the next apply so the Guardian can drop it. */
  acknowledge: { boot: string; sequence: number } | null;
  last: S | null;
}

/**
 * Keeps every Guardian on one part of the desired state (the firewall, the proxy's routes): sends it whole when
 * a session opens, after every change, and on an interval, and records the drift each Guardian reports. Syncs of
 * one Guardian never overlap: a change during one causes exactly one more.
 */
export abstract class GuardianStateSync<R extends { drift: DriftReport[] }, S extends GuardianSyncStatus>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  protected readonly logger = new Logger(this.constructor.name);
  private readonly guardians = new Map<string, Entry<S>>();
  private timer: NodeJS.Timeout | null = null;

  /** What is sent, in words for the log (`the firewall state`). */
  protected abstract readonly what: string;

  constructor(
    private readonly nodes: NodeConnections,
    private readonly intervalMs: number,
  ) {}

  /** Sends the whole desired state to `guardian`, with the acknowledgement of the drift recorded so far. */
  protected abstract send(
    client: IcpClient,
    acknowledgeDrift: { boot: string; sequence: number } | undefined,
    guardian: string,
  ): Promise<R>;

  /** Records one drift report the Guardian sent (once, whatever the number of times it is sent). */
  protected abstract recordDrift(guardian: string, drift: DriftReport): Promise<void>;

  /** The status after a sync: its report, or the error it ended with, and the status before. */
  protected abstract statusOf(report: R | null, error: string | null, last: S | null): S;

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    this.timer = setInterval(() => void this.syncAll(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Brings every connected Guardian in line; resolves when all are done (failures are in `status`). */
  async syncAll(): Promise<void> {
    await Promise.all(this.nodes.ofKind('guardian').map(({ name }) => this.sync(name)));
  }

  /** Brings the Guardians named in line, or all of them when that is not known (`null`). */
  async syncSome(names: string[] | null): Promise<void> {
    if (!names) return this.syncAll();
    await Promise.all(names.map((name) => this.sync(name)));
  }

  sync(name: string): Promise<void> {
    const entry = this.entry(name);
    if (entry.running) {
      entry.again = true;
      return entry.running;
    }
    const run = async () => {
      do {
        entry.again = false;
        await this.push(name, entry);
      } while (entry.again);
    };
    entry.running = run().finally(() => (entry.running = null));
    return entry.running;
  }

  status(name: string): S | null {
    return this.guardians.get(name)?.last ?? null;
  }

  /** The last status of every Guardian synced so far. */
  statuses(): S[] {
    return [...this.guardians.values()].flatMap(({ last }) => (last ? [last] : []));
  }

  private entry(name: string): Entry<S> {
    let entry = this.guardians.get(name);
    if (!entry)
      this.guardians.set(name, (entry = { running: null, again: false, acknowledge: null, last: null }));
    return entry;
  }

  private async push(name: string, entry: Entry<S>): Promise<void> {
    const client = this.nodes.ofKind('guardian').find((node) => node.name === name)?.client;
    if (!client?.connected) return;
    try {
      const report = await this.send(client, entry.acknowledge ?? undefined, name);
      for (const drift of report.drift) {
        this.logger.warn(`guardian ${name} restored ${this.what}: ${drift.differences.join('; ')}`);
        await this.recordDrift(name, drift);
        entry.acknowledge = { boot: drift.boot, sequence: drift.sequence };
      }
      entry.last = this.statusOf(report, null, entry.last);
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.error(`guardian ${name} did not take ${this.what}: ${reason}`);
      entry.last = this.statusOf(null, reason, entry.last);
    }
  }
}
