import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FirewallReport, FirewallState } from '@testausdeploy/icp';
import { GuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { DriftLog } from '../desired/drift-log';
import { DockerUserRules } from './docker-user';
import { checkState, FirewallLimits, mergeRanges } from './firewall-policy';
import { NftTables } from './nft-tables';
import { expectedShape, renderRuleset, TABLE } from './nft-ruleset';
import { differences, TableShape } from './table-shape';

/**
 * The host firewall as the Manager wants it. Every change is checked against the Guardian's limits, applied
 * as one `nft -f` transaction that rewrites the owned table, read back and compared, then kept on disk. On start
 * and on a timer the table is read back; if someone changed it, the state is applied again and the drift kept
 * for the Manager, which collects it with its next `applyFirewall`. Changes run one at a time.
 */
@Injectable()
export class Firewall implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Firewall.name);
  private readonly limits: FirewallLimits;
  private state: FirewallState = { open: [], forwards: [] };
  private dockerUser: boolean | null = null;
  private readonly drift = new DriftLog();
  private queue: Promise<unknown> = Promise.resolve();
  private saved: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: GuardianConfig,
    private readonly nft: NftTables,
    private readonly dockerUserRules: DockerUserRules,
    private readonly file: DesiredStateFile<FirewallState>,
  ) {
    this.limits = {
      ranges: mergeRanges(config.PORT_RANGES),
      reserved: config.RESERVED_PORTS,
      subnets: config.CONTAINER_SUBNETS,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const saved = await this.file.load();
    try {
      if (saved) this.state = checkState(saved, this.limits);
    } catch (error) {
      // The limits changed since: start empty rather than half of it; the Manager resends what it wants.
      this.logger.error(`the saved firewall state no longer fits the limits: ${(error as Error).message}`);
    }
    // Written whole on start: a missing or stale table here is a reboot or an upgrade, not drift.
    await this.serialized(async () => {
      await this.write(this.state);
      this.dockerUser = await this.dockerUserRules.ensure();
    });
    this.timer = setInterval(() => {
      this.reconcile().catch((error: Error) =>
        this.logger.error(`reconciling the firewall: ${error.message}`),
      );
    }, this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the timer and lets a change under way finish, and its state reach the disk. */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue;
    await this.saved;
  }

  /** Replaces the whole state; nothing changes if it is refused or cannot be applied. */
  replace(next: FirewallState): Promise<FirewallReport> {
    return this.change(() => next);
  }

  /**
   * Derives the next state from the current one inside the queue, so concurrent changes never lose each other.
   * The same state again (the Manager resending it) is a reconcile: rewriting it blindly would repair a change
   * made behind the Guardian's back without reporting it.
   */
  change(next: (current: FirewallState) => FirewallState): Promise<FirewallReport> {
    return this.serialized(async () => {
      const checked = checkState(next(this.state), this.limits);
      if (JSON.stringify(checked) === JSON.stringify(this.state)) return this.restore();
      await this.write(checked);
      this.state = checked;
      this.keep(checked);
      return this.report();
    });
  }

  /** Reads the rules back and restores them if they are not what was written, recording the drift. */
  reconcile(): Promise<FirewallReport> {
    return this.serialized(() => this.restore());
  }

  private async restore(): Promise<FirewallReport> {
    const table = await this.tableDifferences(this.state);
    const dockerUser = await this.dockerUserRules.check();
    const found =
      dockerUser === false ? [...table, "DOCKER-USER does not start with the Guardian's rules"] : table;
    if (found.length > 0) {
      this.logger.warn(`the firewall changed behind the Guardian's back, restoring it: ${found.join('; ')}`);
      this.drift.record(found);
    }
    if (table.length > 0) await this.write(this.state);
    // Docker's chain only changes with dockerd, not with the ports: checked here, not on every change.
    this.dockerUser = dockerUser === false ? await this.dockerUserRules.ensure() : dockerUser;
    return this.report();
  }

  /** The rules as they stand, read back from the kernel first. */
  list(): Promise<FirewallReport> {
    return this.reconcile();
  }

  /** Drops the drift reports the Manager has recorded. */
  acknowledge(boot: string, sequence: number): void {
    this.drift.acknowledge(boot, sequence);
  }

  /**
   * Writes the state to disk after the reply, one save after the other: the kernel already holds it, and the
   * file only matters to a Guardian that restarts before the Manager resends it.
   */
  private keep(state: FirewallState): void {
    this.saved = this.saved
      .then(() => this.file.save(state))
      .catch((error: Error) => this.logger.error(`keeping the firewall state on disk: ${error.message}`));
  }

  private report(): FirewallReport {
    return { ...this.state, drift: this.drift.unacknowledged(), dockerUser: this.dockerUser };
  }

  /** How the table in the kernel differs from what `state` needs (empty when it is exactly that). */
  private async tableDifferences(state: FirewallState, shape?: TableShape | null): Promise<string[]> {
    const table = shape === undefined ? await this.nft.read() : shape;
    if (!table) return [`table inet ${TABLE} is missing`];
    return differences(expectedShape(state, this.limits.ranges), table);
  }

  /** One transaction rewriting the table, then read back: a difference is an error, not a success. */
  private async write(state: FirewallState): Promise<void> {
    const shape = await this.nft.applyAndRead(renderRuleset(state, this.limits.ranges));
    const wrong = await this.tableDifferences(state, shape);
    if (wrong.length > 0) throw new Error(`the rules read back are not those written: ${wrong.join('; ')}`);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
