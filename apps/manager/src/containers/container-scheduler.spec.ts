import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandBus } from '@nestjs/cqrs';
import { Forbidden, Observations } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';
import { ObservationRecorder } from '../observations/observation-recorder';
import { CreateSnapshotCommand } from './commands/create-snapshot.command';
import { DeleteBackupCommand } from './commands/delete-backup.command';
import { DeleteSnapshotCommand } from './commands/delete-snapshot.command';
import { ExportBackupCommand } from './commands/export-backup.command';
import { ContainerDirectory } from './container-directory';
import { ContainerScheduler } from './container-scheduler';
import { ContainerView } from './projections/container-view';

const NOW = new Date('2026-11-29T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

/** The scheduler's decisions, with the commands it sends written down instead of run (they have tests of their own). */
async function decisions(view: Partial<ContainerView>, refuseFirstCreate = false): Promise<string[]> {
  const sent: string[] = [];
  let refuse = refuseFirstCreate;
  const commands = {
    execute: async (command: object) => {
      const { name, snapshot, backup, caller, selector } = command as Record<string, string> & {
        caller: { actor: string };
        selector?: { container: string; backup: string };
      };
      const [container, made] = selector ? [selector.container, selector.backup] : [name, snapshot ?? backup];
      sent.push(`${command.constructor.name} ${container} ${made} by ${caller.actor}`);
      if (refuse && /^(Create|Export)/.test(command.constructor.name)) {
        refuse = false;
        throw new Forbidden('container "box" has 2 backups, the most allowed (2); delete one first');
      }
    },
  } as unknown as CommandBus;
  const full: ContainerView = {
    name: 'box',
    status: 'running',
    snapshots: [],
    backups: [],
    schedule: { snapshots: null, backups: null },
    ...view,
  } as ContainerView;
  const directory = { live: async () => [full] } as unknown as ContainerDirectory;
  await new ContainerScheduler(
    { SCHEDULE_TICK_MS: 0 } as ManagerConfig,
    directory,
    commands,
    recorder([]),
  ).tick(NOW);
  return sent;
}

/** Observations written down: the subject's stream and what was recorded of it. */
function recorder(seen: string[]): ObservationRecorder {
  return {
    record: async (subject: () => Observations, observe: (observations: Observations) => void) => {
      const observations = subject();
      observe(observations);
      for (const { type, data } of observations.pendingEvents) seen.push(`${type} ${JSON.stringify(data)}`);
    },
  } as unknown as ObservationRecorder;
}

describe('ContainerScheduler', () => {
  it('records a failing scheduled backup once per streak and reason, and again after one worked', async () => {
    let failure: string | null = 'no Worker is connected';
    const commands = {
      execute: async (command: object) => {
        if (command instanceof ExportBackupCommand && failure) throw new Error(failure);
      },
    } as unknown as CommandBus;
    const view = {
      name: 'box',
      owner: 'alice',
      ownerId: 'm1',
      status: 'running',
      snapshots: [],
      backups: [],
      schedule: { snapshots: null, backups: { everyHours: 1, keep: 2 } },
    } as unknown as ContainerView;
    const seen: string[] = [];
    const directory = { live: async () => [view] } as unknown as ContainerDirectory;
    const scheduler = new ContainerScheduler(
      { SCHEDULE_TICK_MS: 0 } as ManagerConfig,
      directory,
      commands,
      recorder(seen),
    );
    await scheduler.tick(NOW);
    await scheduler.tick(NOW);
    failure = 'the pool is full';
    await scheduler.tick(NOW);
    failure = null;
    await scheduler.tick(NOW);
    failure = 'the pool is full';
    await scheduler.tick(NOW);
    const failed = (reason: string) =>
      `ScheduledBackupFailed ${JSON.stringify({ container: 'box', owner: 'alice', ownerId: 'm1', reason })}`;
    assert.deepEqual(seen, [
      failed('no Worker is connected'),
      failed('the pool is full'),
      failed('the pool is full'),
    ]);
  });

  it('takes the first scheduled snapshot at once, as the scheduler', async () => {
    const sent = await decisions({ schedule: { snapshots: { everyHours: 24, keep: 7 }, backups: null } });
    assert.deepEqual(sent, [`${CreateSnapshotCommand.name} box auto-20261129120000 by scheduler`]);
  });

  it('waits until the newest scheduled one is older than the interval; hand-made ones do not count', async () => {
    const snapshots = [
      { snapshot: 'auto-20261129100000', createdAt: hoursAgo(2) },
      { snapshot: 'mine', createdAt: hoursAgo(0.1) },
    ];
    assert.deepEqual(
      await decisions({ snapshots, schedule: { snapshots: { everyHours: 3, keep: 7 }, backups: null } }),
      [],
    );
    const due = await decisions({
      snapshots,
      schedule: { snapshots: { everyHours: 2, keep: 7 }, backups: null },
    });
    assert.equal(due.length, 1);
  });

  it('keeps the newest `keep` scheduled ones and never deletes hand-made ones', async () => {
    const made = (backup: string, hours: number) => ({
      ...{ id: `b-${backup}`, backup, incarnation: 'i', owner: 'alice', ownerId: 'a' },
      ...{ createdAt: hoursAgo(hours), file: '', bytes: 1, node: 'worker' },
    });
    const backups = [made('auto-a', 72), made('manual', 100), made('auto-b', 48), made('auto-c', 24)];
    const sent = await decisions({
      backups,
      schedule: { snapshots: null, backups: { everyHours: 24, keep: 2 } },
    });
    assert.deepEqual(sent, [
      `${ExportBackupCommand.name} box auto-20261129120000 by scheduler`,
      `${DeleteBackupCommand.name} box auto-a by scheduler`,
      `${DeleteBackupCommand.name} box auto-b by scheduler`,
    ]);
    // At the container's quota: the oldest scheduled one makes room, then the new one is made.
    const refused = await decisions(
      { backups, schedule: { snapshots: null, backups: { everyHours: 24, keep: 2 } } },
      true,
    );
    assert.deepEqual(refused, [
      `${ExportBackupCommand.name} box auto-20261129120000 by scheduler`,
      `${DeleteBackupCommand.name} box auto-a by scheduler`,
      `${ExportBackupCommand.name} box auto-20261129120000 by scheduler`,
      `${DeleteBackupCommand.name} box auto-b by scheduler`,
    ]);
  });

  it('leaves a container being created alone, and replaces the oldest scheduled one beyond keep', async () => {
    assert.deepEqual(
      await decisions({
        status: 'creating',
        schedule: { snapshots: { everyHours: 1, keep: 1 }, backups: null },
      }),
      [],
    );
    const snapshots = [{ snapshot: 'auto-x', createdAt: hoursAgo(5) }];
    const sent = await decisions({
      snapshots,
      schedule: { snapshots: { everyHours: 1, keep: 1 }, backups: null },
    });
    assert.deepEqual(sent, [
      `${CreateSnapshotCommand.name} box auto-20261129120000 by scheduler`,
      `${DeleteSnapshotCommand.name} box auto-x by scheduler`,
    ]);
  });
});
