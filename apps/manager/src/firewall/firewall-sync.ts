import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ManagerConfig } from '../config/manager-config';
import { NodeConnections } from '../nodes/node-connections';
import { RecordFirewallDriftCommand } from './commands/record-firewall-drift.command';
import { DesiredFirewall } from './desired-firewall';

/** How the last attempt to bring a Guardian in line went. */
export interface GuardianSyncStatus {
  at: Date;
  applied: boolean;
  /** The Guardian's refusal or the reason it could not be reached. */
  error: string | null;
  /** Whether dockerd's DOCKER-USER chain carries the Guardian's rules (null: no dockerd on that host). */
  dockerUser: boolean | null;
}

interface GuardianSync {
  running: Promise<void> | null;
  again: boolean;
  /** The newest drift report recorded, acknowledged with the next apply so the Guardian can drop it. */
  acknowledge: { boot: string; sequence: number } | null;
  last: GuardianSyncStatus | null;
}

/**
 * Keeps every Guardian on the desired firewall state: sends it whole (`applyFirewall`) when a session opens,
 * after every change of the port rules, and on an interval, and records the drift each Guardian reports.
 * Syncs of one Guardian never overlap: a change during one causes exactly one more.
 */
@Injectable()
export class FirewallSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FirewallSync.name);
  private readonly guardians = new Map<string, GuardianSync>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ManagerConfig,
    private readonly nodes: NodeConnections,
    private readonly desired: DesiredFirewall,
    private readonly commands: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.FIREWALL_SYNC_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => void this.syncAll(), this.config.FIREWALL_SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Brings every connected Guardian in line; resolves when all are done (failures are in `status`). */
  async syncAll(): Promise<void> {
    await Promise.all(this.nodes.ofKind('guardian').map(({ name }) => this.sync(name)));
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

  status(name: string): GuardianSyncStatus | null {
    return this.guardians.get(name)?.last ?? null;
  }

  private entry(name: string): GuardianSync {
    let entry = this.guardians.get(name);
    if (!entry)
      this.guardians.set(name, (entry = { running: null, again: false, acknowledge: null, last: null }));
    return entry;
  }

  private async push(name: string, entry: GuardianSync): Promise<void> {
    const client = this.nodes.ofKind('guardian').find((node) => node.name === name)?.client;
    if (!client?.connected) return;
    try {
      const state = await this.desired.state();
      const acknowledgeDrift = entry.acknowledge ?? undefined;
      const report = await client.request(
        'applyFirewall',
        { ...state, acknowledgeDrift },
        { timeoutMs: 60_000 },
      );
      for (const drift of report.drift) {
        this.logger.warn(`guardian ${name} restored its firewall: ${drift.differences.join('; ')}`);
        await this.commands.execute(new RecordFirewallDriftCommand(name, drift));
        entry.acknowledge = { boot: drift.boot, sequence: drift.sequence };
      }
      entry.last = { at: new Date(), applied: true, error: null, dockerUser: report.dockerUser };
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.error(`guardian ${name} did not take the firewall state: ${reason}`);
      entry.last = {
        at: new Date(),
        applied: false,
        error: reason,
        dockerUser: entry.last?.dockerUser ?? null,
      };
    }
  }
}
