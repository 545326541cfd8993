import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Forbidden, Observations, ScheduleRule } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ManagerConfig } from '../config/manager-config';
import { ObservationRecorder } from '../observations/observation-recorder';
import { CreateSnapshotCommand } from './commands/create-snapshot.command';
import { DeleteBackupCommand } from './commands/delete-backup.command';
import { DeleteSnapshotCommand } from './commands/delete-snapshot.command';
import { ExportBackupCommand } from './commands/export-backup.command';
import { ContainerDirectory } from './container-directory';
import { ContainerView } from './projections/container-view';

/** Scheduled snapshots and backups are named `auto-<UTC time>`; only those count for the schedule and retention. */
const PREFIX = 'auto-';
const SCHEDULER: Caller = {
  actor: 'scheduler',
  role: 'admin',
  member: null,
  memberId: null,
  scope: 'full',
  tokenId: null,
};

const autoName = (at: Date) => `${PREFIX}${at.toISOString().replace(/\D/g, '').slice(0, 14)}`;

interface Kind {
  rule(view: ContainerView): ScheduleRule | null;
  made(view: ContainerView): { name: string; createdAt: string }[];
  create(container: string, name: string): object;
  remove(container: string, name: string): object;
}

/** LXD schedules snapshots but not backups; this does both, the same way, so both carry an actor in the log. */
const KINDS: Record<'snapshots' | 'backups', Kind> = {
  snapshots: {
    rule: (view) => view.schedule.snapshots,
    made: (view) => view.snapshots.map(({ snapshot, createdAt }) => ({ name: snapshot, createdAt })),
    create: (container, name) => new CreateSnapshotCommand(container, name, SCHEDULER),
    remove: (container, name) => new DeleteSnapshotCommand(container, name, SCHEDULER),
  },
  backups: {
    rule: (view) => view.schedule.backups,
    made: (view) => view.backups.map(({ backup, createdAt }) => ({ name: backup, createdAt })),
    create: (container, name) => new ExportBackupCommand(container, name, SCHEDULER),
    remove: (container, name) => new DeleteBackupCommand({ container, backup: name }, SCHEDULER),
  },
};

/**
 * Runs the containers' scheduled snapshots and backups: on every tick, a container whose newest scheduled one is
 * older than its interval gets a new one (actor `scheduler`), and the oldest scheduled ones beyond `keep` are
 * deleted; a new one refused by a quota is made once the oldest scheduled one has made room. Ones made by hand
 * are never deleted by the schedule.
 */
@Injectable()
export class ContainerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ContainerScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Containers whose scheduled backups fail, with the reason recorded last: one event per streak and reason. */
  private readonly failingBackups = new Map<string, string>();

  constructor(
    private readonly config: ManagerConfig,
    private readonly directory: ContainerDirectory,
    private readonly commands: CommandBus,
    private readonly observations: ObservationRecorder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULE_TICK_MS === 0) return;
    this.timer = setInterval(
      () =>
        void this.tick().catch((error: Error) =>
          this.logger.error(`listing the containers to schedule: ${error.message}`),
        ),
      this.config.SCHEDULE_TICK_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every container; a pass still running is not started twice. */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  private async pass(now: Date): Promise<void> {
    for (const view of await this.directory.live()) {
      for (const [label, kind] of Object.entries(KINDS)) {
        const kept = await this.keep(view, kind, now).then(
          () => null,
          (error: Error) => {
            this.logger.error(`scheduled ${label} of container ${view.name}: ${error.message}`);
            return error.message;
          },
        );
        if (kind === KINDS.backups) await this.backupsWent(view, kept);
      }
    }
  }

  /** Records a scheduled backup's failure when a streak starts (or its reason changes); forgets it once one works. */
  private async backupsWent({ name, owner, ownerId }: ContainerView, failure: string | null): Promise<void> {
    if (failure === null) {
      this.failingBackups.delete(name);
      return;
    }
    if (this.failingBackups.get(name) === failure) return;
    this.failingBackups.set(name, failure);
    await this.observations
      .record(
        () => Observations.ofBackups(name),
        (seen) => seen.scheduledBackupFailed({ container: name, owner, ownerId, reason: failure }),
        'scheduler',
      )
      .catch((error: Error) => this.logger.error(`recording a failed backup of ${name}: ${error.message}`));
  }

  private async keep(view: ContainerView, kind: Kind, now: Date): Promise<void> {
    const rule = kind.rule(view);
    if (!rule || view.status === 'creating') return;
    const scheduled = kind
      .made(view)
      .filter(({ name }) => name.startsWith(PREFIX))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const newest = scheduled.at(-1);
    const due = !newest || now.getTime() - Date.parse(newest.createdAt) >= rule.everyHours * 3_600_000;
    if (due) {
      const name = autoName(now);
      await this.commands.execute(kind.create(view.name, name)).catch(async (error: unknown) => {
        // At a quota: the oldest scheduled one makes room. Only then, so a refusal for another reason (no
        // Worker, a full disk) never costs one.
        const oldest = scheduled.shift();
        if (!(error instanceof Forbidden) || !oldest) throw error;
        await this.commands.execute(kind.remove(view.name, oldest.name));
        await this.commands.execute(kind.create(view.name, name));
      });
      scheduled.push({ name, createdAt: now.toISOString() });
    }
    for (const old of scheduled.slice(0, Math.max(0, scheduled.length - rule.keep))) {
      await this.commands.execute(kind.remove(view.name, old.name));
    }
  }
}
