import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('Manager REST: members and their tokens (real database)', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('members');
  });

  after(() => manager.stop());

  it("adds a member, shows the token once, and records only the token's digest", async () => {
    const added = await manager.http().post('/members').set(auth).send({ name: 'alice' }).expect(201);
    assert.equal(added.body.role, 'member');
    assert.match(added.body.token, /^tdm_[A-Za-z0-9_-]{43}$/);
    const list = await manager.http().get('/members').set(auth).expect(200);
    assert.deepEqual(
      list.body.map(({ name, role, addedBy }: Record<string, string>) => [name, role, addedBy]),
      [['alice', 'member', 'admin']],
    );
    assert.ok(!/tdm_|tokenDigest/.test(JSON.stringify(list.body)), 'the list shows no token or digest');
    const audit = await manager.http().get('/audit?streamId=member-alice').set(auth).expect(200);
    assert.ok(!JSON.stringify(audit.body).includes(added.body.token), 'the log never holds the token');
  });

  it('lets a member in only where routes allow members, and names the actor in events', async () => {
    const { body } = await manager.http().post('/members').set(auth).send({ name: 'bob' }).expect(201);
    const refused = await manager.http().get('/members').set(bearer(body.token)).expect(403);
    assert.match(refused.body.message, /for admins/);
    await manager.http().get('/nodes').set(bearer(body.token)).expect(403);
    await manager.http().get('/deployments').set(bearer(body.token)).expect(200, []);
    await manager
      .http()
      .get('/members')
      .set(bearer(`${body.token}x`))
      .expect(401);

    await manager.http().put('/members/bob/role').set(auth).send({ role: 'admin' }).expect(200);
    await manager.http().get('/members').set(bearer(body.token)).expect(200);
    await manager.http().post('/members').set(bearer(body.token)).send({ name: 'carol' }).expect(201);
    const audit = await manager.http().get('/audit?streamId=member-carol').set(auth).expect(200);
    assert.equal(audit.body.entries[0].actor, 'member:bob');
  });

  it('replaces and removes tokens: the old one stops working at once', async () => {
    const { body: first } = await manager
      .http()
      .post('/members')
      .set(auth)
      .send({ name: 'dave', role: 'admin' });
    const { body: second } = await manager.http().post('/members/dave/token').set(auth).expect(200);
    await manager.http().get('/members').set(bearer(first.token)).expect(401);
    await manager.http().get('/members').set(bearer(second.token)).expect(200);
    await manager.http().delete('/members/dave').set(auth).expect(204);
    await manager.http().get('/members').set(bearer(second.token)).expect(401);
    await manager.http().delete('/members/dave').set(auth).expect(404);
  });

  it('refuses bad names, roles and repeats with the reason', async () => {
    const bad = await manager.http().post('/members').set(auth).send({ name: 'Alice!' }).expect(400);
    assert.match(String(bad.body.message), /member name "Alice!" must be 2-32 characters/);
    await manager.http().post('/members').set(auth).send({ name: 'erin', role: 'root' }).expect(400);
    await manager.http().post('/members').set(auth).send({ name: 'alice' }).expect(409);
    await manager.http().post('/members/nobody/token').set(auth).expect(404);
    await manager.http().put('/members/alice/role').set(auth).send({ role: 'member' }).expect(409);
  });
});
