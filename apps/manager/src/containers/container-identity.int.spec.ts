import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ReadModels } from '../events/read-models';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBeYh6rAnYzDx1kWZjB6Hk0Zg8eV5m0hWZ2Qm5q3l5aT alice@laptop';
const limits = { cpus: 1, memoryMiB: 512, diskGiB: 5 };

/*
 * Who owns a container, its backups and its name, decided by the Manager alone (no Worker: every creation ends
 * `failed` with "no Worker is enrolled", which is far enough to show whether a request was let through). What a
 * Worker would have done for Alice (made her box, exported a backup, deleted the box) is recorded as the Manager
 * records it; test/containers.e2e-spec.ts does the same against a real Worker and LXD.
 */
describe('Manager REST: a container name and a member name are not identities (real database)', () => {
  let manager: ManagerApp;
  let alice: Auth;
  let bob: Auth;
  let backupId: string;

  const member = async (name: string) =>
    bearer((await manager.http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  const caughtUp = async () => {
    const readModels = manager.get(ReadModels);
    assert.ok(await readModels.waitFor(await manager.get(EventStore).headPosition()));
  };

  before(async () => {
    manager = await ManagerApp.start('container-identity', { MEMBER_MAX_CONTAINERS: '3' });
    [alice, bob] = [await member('alice'), await member('bob')];
    // Alice's box, made, backed up as "nightly" and deleted, as the Worker's answers would have it recorded.
    await manager
      .http()
      .post('/containers')
      .set(alice)
      .send({ name: 'box', limits, sshKeys: [KEY] })
      .expect(409);
    const store = manager.get(EventStore);
    const cause = { actor: 'member:alice', correlationId: 'c', causationId: null };
    const at = '2026-12-01T00:00:00.000Z';
    await store.append(
      'container-box',
      2,
      [
        { type: 'ContainerActed', data: { name: 'box', action: 'start' } },
        {
          type: 'BackupExported',
          data: {
            name: 'box',
            id: 'b-0011223344556677',
            backup: 'nightly',
            file: 'f',
            bytes: 1,
            createdAt: at,
          },
        },
        { type: 'ContainerDeleted', data: { name: 'box' } },
      ],
      cause,
    );
    await caughtUp();
    backupId = (await manager.http().get('/backups').set(alice).expect(200)).body[0]?.id;
    assert.ok(backupId, 'Alice sees her backup');
  });

  after(() => manager.stop());

  it('answers a member about another member’s container exactly as about a name never used (404)', async () => {
    await manager
      .http()
      .post('/containers')
      .set(alice)
      .send({ name: 'alice-box', limits, sshKeys: [KEY] });
    const routes: [string, string, object?][] = [
      ['get', '/containers/{}'],
      ['get', '/containers/{}/progress'],
      ['post', '/containers/{}/start'],
      ['post', '/containers/{}/stop'],
      ['post', '/containers/{}/restart'],
      ['put', '/containers/{}/limits', limits],
      ['put', '/containers/{}/ssh-keys', { sshKeys: [KEY] }],
      ['put', '/containers/{}/schedule', { snapshots: { everyHours: 24, keep: 7 } }],
      ['delete', '/containers/{}', { confirm: '{}' }],
      ['get', '/containers/{}/snapshots'],
      ['post', '/containers/{}/snapshots', { snapshot: 'snap-one' }],
      ['post', '/containers/{}/snapshots/snap-one/restore'],
      ['delete', '/containers/{}/snapshots/snap-one'],
      ['get', '/containers/{}/backups'],
      ['post', '/containers/{}/backups', { backup: 'backup-one' }],
      ['post', '/containers/{}/backups/backup-one/restore', { newName: 'bob-copy' }],
      ['delete', '/containers/{}/backups/backup-one'],
    ];
    const answer = async (method: string, path: string, body: object | undefined, name: string) => {
      const fill = (text: string) => text.replaceAll('{}', name);
      const req = manager.http()[method as 'get'](fill(path)).set(bob);
      const res = await (body ? req.send(JSON.parse(fill(JSON.stringify(body)))) : req);
      return `${res.status} ${String(res.body.message).replaceAll(name, '<name>')}`;
    };
    for (const [method, path, body] of routes) {
      const others = await answer(method, path, body, 'alice-box');
      assert.equal(others, await answer(method, path, body, 'never-box'), `${method} ${path}`);
      assert.match(others, /^404 container "<name>" does not exist$/, `${method} ${path}`);
    }
    assert.deepEqual((await manager.http().get('/containers').set(bob).expect(200)).body, []);
    const all = (await manager.http().get('/containers').set(auth).expect(200)).body;
    assert.ok(
      all.some(({ name }: { name: string }) => name === 'alice-box'),
      'admins see all',
    );
  });

  it("gives a container made under a deleted container's name none of its backups", async () => {
    await manager
      .http()
      .post('/containers')
      .set(bob)
      .send({ name: 'box', limits, sshKeys: [KEY] })
      .expect(409);
    assert.deepEqual((await manager.http().get('/containers/box/backups').set(bob).expect(200)).body, []);
    const restore = await manager
      .http()
      .post('/containers/box/backups/nightly/restore')
      .set(bob)
      .send({ newName: 'bob-copy' });
    assert.equal(restore.status, 404, JSON.stringify(restore.body));
    assert.match(restore.body.message, /backup "nightly" does not exist/);
    assert.equal((await manager.http().delete('/containers/box/backups/nightly').set(bob)).status, 404);
    assert.deepEqual((await manager.http().get('/backups').set(bob).expect(200)).body, []);
    for (const req of [
      manager.http().post(`/backups/${backupId}/restore`).set(bob).send({ newName: 'bob-copy' }),
      manager.http().delete(`/backups/${backupId}`).set(bob),
    ]) {
      const res = await req;
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.message, `backup "${backupId}" does not exist`);
    }
  });

  it('keeps the backup its owner’s: listed, restorable by id (to her), the admin sees it too', async () => {
    const [listed] = (await manager.http().get('/backups').set(alice).expect(200)).body;
    assert.deepEqual([listed.backup, listed.container, listed.containerDeleted], ['nightly', 'box', true]);
    const all = (await manager.http().get('/backups?owner=alice').set(auth).expect(200)).body;
    assert.deepEqual(
      all.map(({ id }: { id: string }) => id),
      [backupId],
    );
    const restore = await manager
      .http()
      .post(`/backups/${backupId}/restore`)
      .set(alice)
      .send({ newName: 'alice-copy' });
    assert.equal(restore.status, 409, 'let through to the Worker');
    const copy = (await manager.http().get('/containers/alice-copy').set(alice).expect(200)).body;
    assert.deepEqual(
      [copy.owner, copy.restoredFrom],
      ['alice', { name: 'box', backup: 'nightly', id: backupId }],
    );
  });

  it('gives a member removed and added again under the same name nothing of the old one', async () => {
    await manager.http().delete('/members/bob').set(auth).expect(204);
    const newBob = await member('bob');
    assert.deepEqual((await manager.http().get('/containers').set(newBob).expect(200)).body, []);
    const res = await manager.http().get('/containers/box').set(newBob);
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'container "box" does not exist');
    const [oldBox] = (await manager.http().get('/containers?owner=bob').set(auth).expect(200)).body;
    assert.equal(oldBox.name, 'box', 'the old one is still there, for admins');
  });

  it("lets a member's unix user be only their own name; an admin may choose another", async () => {
    const res = await manager
      .http()
      .post('/containers')
      .set(alice)
      .send({ name: 'other-user', limits, sshKeys: [KEY], user: 'carol' });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.message, /your user inside the container is "alice", your member name/);
    await manager
      .http()
      .post('/containers')
      .set(alice)
      .send({ name: 'own-user', limits, sshKeys: [KEY], user: 'alice' })
      .expect(409);
    await manager
      .http()
      .post('/containers')
      .set(auth)
      .send({ name: 'admin-user', limits, sshKeys: [KEY], user: 'carol', owner: 'alice' })
      .expect(409);
  });
});
