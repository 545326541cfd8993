import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBeYh6rAnYzDx1kWZjB6Hk0Zg8eV5m0hWZ2Qm5q3l5aT alice@laptop';
const limits = { cpus: 1, memoryMiB: 512, diskGiB: 5 };

/*
 * The Manager's side of members' containers without a Worker: quotas and input are checked before anything is
 * asked of one (who owns what: container-identity.int.spec.ts; test/containers.e2e-spec.ts runs them against a
 * real Worker and LXD).
 */
describe('Manager REST: members’ containers, the checks before the Worker (real database)', () => {
  let manager: ManagerApp;
  let alice: Record<string, string>;
  let bob: Record<string, string>;

  before(async () => {
    manager = await ManagerApp.start('containers', {
      MEMBER_MAX_CONTAINERS: '1',
      CONTAINER_MAX_MEMORY_MIB: '1024',
    });
    const member = async (name: string) =>
      bearer((await manager.http().post('/members').set(auth).send({ name }).expect(201)).body.token);
    alice = await member('alice');
    bob = await member('bob');
  });

  after(() => manager.stop());

  it('refuses bad input with the reason, before asking a Worker', async () => {
    const create = (body: object, who = alice) => manager.http().post('/containers').set(who).send(body);
    const cases: [object, number, RegExp][] = [
      [{ name: 'Alice_Box', limits, sshKeys: [KEY] }, 400, /name: must be 3-42 of a-z/],
      [{ name: 'box', limits: { ...limits, memoryMiB: 4096 }, sshKeys: [KEY] }, 403, /memoryMiB 4096 > 1024/],
      [{ name: 'box', limits: { ...limits, cpus: 0 }, sshKeys: [KEY] }, 400, /limits.cpus/],
      [{ name: 'box', limits, sshKeys: [] }, 400, /sshKeys/],
      [{ name: 'box', limits, sshKeys: [KEY], user: 'root' }, 400, /must not be root/],
      [{ name: 'box', limits, sshKeys: [KEY], nesting: true }, 403, /only an admin can allow nesting/],
      [{ name: 'box', limits, sshKeys: [KEY], owner: 'bob' }, 403, /only their own/],
      [{ name: 'box', limits, sshKeys: [KEY], extra: 1 }, 400, /Unrecognized key/],
    ];
    for (const [body, status, reason] of cases) {
      const res = await create(body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body.message), reason);
    }
    const admin = await create({ name: 'box', limits, sshKeys: [KEY] }, auth);
    assert.equal(admin.status, 403);
    assert.match(admin.body.message, /the admin token owns no containers: name the member it is for/);
    const nobody = await create({ name: 'box', limits, sshKeys: [KEY], owner: 'nobody' }, auth);
    assert.equal(nobody.status, 404);
    assert.equal((await manager.http().get('/containers').set(alice).expect(200)).body.length, 0);
  });

  it('says why the images cannot be listed without a Worker', async () => {
    const res = await manager.http().get('/container-images').set(alice);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.body.message, /no Worker is enrolled/);
  });

  it('records a creation the Worker could not do as failed, with the reason, in the member’s name', async () => {
    const res = await manager
      .http()
      .post('/containers')
      .set(alice)
      .send({ name: 'alice-box', limits, sshKeys: [KEY] });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.body.message, /no Worker is enrolled/);
    const [view] = (await manager.http().get('/containers').set(alice).expect(200)).body;
    assert.equal(view.status, 'failed');
    assert.equal(view.owner, 'alice');
    assert.equal(view.sshPort, 22000);
    const audit = await manager
      .http()
      .get('/audit?streamId=container-alice-box&order=oldest')
      .set(auth)
      .expect(200);
    assert.deepEqual(
      audit.body.entries.map(({ type, actor }: Record<string, string>) => [type, actor]),
      [
        ['ContainerRequested', 'member:alice'],
        ['ContainerCreationFailed', 'member:alice'],
      ],
    );
  });

  it('lists the containers as they were at a log position, each caller their own', async () => {
    const list = async (query: string, who: Record<string, string> = alice) =>
      (await manager.http().get(`/containers${query}`).set(who).expect(200)).body.map(
        ({ name, status }: { name: string; status: string }) => `${name} ${status}`,
      );
    const requested = (await manager.http().get('/audit?type=ContainerRequested&order=oldest').set(auth)).body
      .entries[0].position as number;
    assert.deepEqual(await list(`?asOf=${requested - 1}`), []);
    // Requested then, not yet failed: as it stood at that position.
    assert.deepEqual(await list(`?asOf=${requested}`), ['alice-box creating']);
    assert.deepEqual(await list(''), ['alice-box failed']);
    assert.deepEqual(await list(`?asOf=${requested}`, bob), []);
    assert.deepEqual(await list(`?asOf=${requested}&owner=alice`, auth), ['alice-box creating']);
    // A blank value is no position (schemathesis found `asOf=%0A` read as 0).
    for (const asOf of ['yesterday', '%0A', '']) {
      const bad = await manager.http().get(`/containers?asOf=${asOf}`).set(alice);
      assert.equal(bad.status, 400, asOf);
      assert.match(JSON.stringify(bad.body.message), /asOf/);
    }
  });
});
