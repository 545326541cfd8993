import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ReadModels } from '../events/read-models';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBeYh6rAnYzDx1kWZjB6Hk0Zg8eV5m0hWZ2Qm5q3l5aT alice@laptop';
const limits = { cpus: 1, memoryMiB: 512, diskGiB: 5 };
const MIB = 1024 * 1024;
const at = '2026-12-01T00:00:00.000Z';

/*
 * Snapshot and backup quotas, per container and per member, decided by the Manager before anything is asked of
 * a Worker (none is enrolled here). What Workers made is recorded as the Manager records it; the Worker's own
 * part, stopping an export past the bytes it was given, is in apps/worker/src/containers/containers.int.spec.ts.
 */
describe('Manager REST: quotas on what a member can make (real database)', () => {
  let manager: ManagerApp;
  let alice: Auth;
  let carol: Auth;

  const member = async (name: string) =>
    bearer((await manager.http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  /** A running container of `who`, with snapshots and backups of the given sizes, as a Worker would have made them. */
  const made = async (who: Auth, name: string, snapshots: number, backupMiB: number[]) => {
    await manager
      .http()
      .post('/containers')
      .set(who)
      .send({ name, limits, sshKeys: [KEY] })
      .expect(409);
    const events = [
      { type: 'ContainerActed', data: { name, action: 'start' } },
      ...Array.from({ length: snapshots }, (_, n) => ({
        type: 'SnapshotCreated',
        data: { name, snapshot: `snap-${n}`, createdAt: at },
      })),
      ...backupMiB.map((mib, n) => ({
        type: 'BackupExported',
        data: {
          name,
          id: `b-${name}-${n}`,
          backup: `backup-${n}`,
          file: 'f',
          bytes: mib * MIB,
          createdAt: at,
        },
      })),
    ];
    const store = manager.get(EventStore);
    await store.append(`container-${name}`, 2, events, {
      actor: 'test',
      correlationId: name,
      causationId: null,
    });
    assert.ok(await manager.get(ReadModels).waitFor(await store.headPosition()));
  };
  const refused = async (req: Promise<{ status: number; body: { message: string } }>, reason: RegExp) => {
    const res = await req;
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.message, reason);
  };

  before(async () => {
    manager = await ManagerApp.start('container-quotas', {
      CONTAINER_MAX_SNAPSHOTS: '2',
      MEMBER_MAX_SNAPSHOTS: '3',
      CONTAINER_MAX_BACKUPS: '2',
      MEMBER_MAX_BACKUPS: '3',
      MEMBER_MAX_BACKUP_MIB: '10',
      CONTAINER_MAX_CPUS: '1',
      CONTAINER_MAX_MEMORY_MIB: '1024',
      CONTAINER_MAX_DISK_GIB: '8',
    });
    [alice, carol] = [await member('alice'), await member('carol')];
    await made(alice, 'box-a', 2, [4, 4]);
    await made(alice, 'box-b', 1, [1]);
    await made(carol, 'box-c', 0, [10]);
  });

  after(() => manager.stop());

  it('refuses a snapshot over the container’s count, then over the member’s', async () => {
    const snapshot = (name: string) =>
      manager.http().post(`/containers/${name}/snapshots`).set(alice).send({ snapshot: 'one-more' });
    await refused(
      snapshot('box-a'),
      /container "box-a" has 2 snapshots, the most allowed \(2\); delete one first/,
    );
    await refused(
      snapshot('box-b'),
      /member "alice" has 3 snapshots, the most allowed \(3\); delete one first/,
    );
  });

  it('refuses a backup over the container’s count, the member’s count, or the member’s bytes', async () => {
    const backup = (who: Auth, name: string) =>
      manager.http().post(`/containers/${name}/backups`).set(who).send({ backup: 'one-more' });
    await refused(backup(alice, 'box-a'), /container "box-a" has 2 backups, the most allowed \(2\)/);
    await refused(backup(alice, 'box-b'), /member "alice" has 3 backups, the most allowed \(3\)/);
    await refused(backup(carol, 'box-c'), /member "carol" has used all 10 MiB of their backup quota/);
    // A deleted container's backups still count: deleting it frees nothing.
    await manager.http().delete('/containers/box-c').set(carol).send({ confirm: 'box-c' }).expect(409);
  });

  it('refuses a schedule that would keep more than a container may have', async () => {
    const res = await manager
      .http()
      .put('/containers/box-b/schedule')
      .set(alice)
      .send({ snapshots: { everyHours: 24, keep: 3 } });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.message, /snapshots.keep 3 is more than the 2 snapshots a container may have/);
  });

  it('shows a member their quotas and what they use; an admin anyone’s', async () => {
    const expected = {
      limits: { cpus: 1, memoryMiB: 1024, diskGiB: 8 },
      containers: { used: 2, max: 3 },
      snapshots: { used: 3, max: 3, perContainer: 2 },
      backups: { used: 3, max: 3, perContainer: 2, mib: { used: 9, max: 10 } },
    };
    assert.deepEqual((await manager.http().get('/quota').set(alice).expect(200)).body, expected);
    assert.deepEqual((await manager.http().get('/quota?member=alice').set(auth).expect(200)).body, expected);
    const admin = await manager.http().get('/quota').set(auth);
    assert.equal(admin.status, 404);
    assert.match(admin.body.message, /the admin token is no member's: name one, \?member=<name>/);
    const other = await manager.http().get('/quota?member=alice').set(carol);
    assert.equal(other.status, 404);
    assert.equal(other.body.message, 'member "alice" does not exist');
  });
});
