import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Member } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { newMemberToken } from './member-token';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

describe("Manager REST: members' named API tokens (real database)", () => {
  let manager: ManagerApp;
  let ada: Auth;
  let bob: Auth;
  const http = () => manager.http();
  const issue = (who: Auth, body: object) => http().post('/tokens').set(who).send(body);

  before(async () => {
    manager = await ManagerApp.start('tokens');
    ada = bearer((await http().post('/members').set(auth).send({ name: 'ada' }).expect(201)).body.token);
    bob = bearer((await http().post('/members').set(auth).send({ name: 'bob' }).expect(201)).body.token);
  });

  after(() => manager.stop());

  it('makes a named token shown once, lists it without the secret, with its last use, and keeps it out of the log', async () => {
    const made = (await issue(ada, { name: 'laptop', expiresInDays: 7 }).expect(201)).body;
    assert.deepEqual(Object.keys(made).sort(), ['expiresAt', 'id', 'name', 'scope', 'token']);
    assert.equal(made.scope, 'full');
    const days = (Date.parse(made.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, String(days));
    const listed = async () => (await http().get('/tokens').set(ada).expect(200)).body;
    const [before] = await listed();
    assert.deepEqual(
      { ...before, issuedAt: undefined },
      {
        id: made.id,
        name: 'laptop',
        scope: 'full',
        expiresAt: made.expiresAt,
        expired: false,
        lastUsedAt: null,
        issuedAt: undefined,
      },
    );
    await http().get('/containers').set(bearer(made.token)).expect(200);
    const minted = await issue(bearer(made.token), { name: 'child' }).expect(403);
    assert.match(minted.body.message, /made with your account's token/);
    let used: string | null = null;
    for (let tries = 0; tries < 50 && !used; tries++) {
      used = (await listed())[0].lastUsedAt;
      await sleep(20);
    }
    assert.ok(used && Math.abs(Date.parse(used) - Date.now()) < 60_000, `last used ${used}`);
    assert.deepEqual((await http().get('/tokens').set(bob).expect(200)).body, [], "bob sees none of ada's");
    const audit = JSON.stringify(
      (await http().get('/audit?type=MemberTokenIssued').set(auth).expect(200)).body,
    );
    assert.ok(
      audit.includes(made.id) && !audit.includes(made.token),
      'the log has the token’s id, never the token',
    );
    assert.ok(!JSON.stringify(await listed()).includes('tokenDigest'));
    // An admin looking into a leak sees the same list, and can revoke it.
    assert.equal((await http().get('/members/ada/tokens').set(auth).expect(200)).body[0].id, made.id);
    await http().get('/members/ada/tokens').set(bob).expect(403);
    await http().delete(`/members/ada/tokens/${made.id}`).set(auth).expect(204);
    await http().get('/containers').set(bearer(made.token)).expect(401);
  });

  it('lets a read-only token read and refuses it every change, with the reason', async () => {
    const { token } = (await issue(ada, { name: 'dashboard-ro', scope: 'read' }).expect(201)).body;
    const readOnly = bearer(token);
    await http().get('/containers').set(readOnly).expect(200);
    await http().get('/tokens').set(readOnly).expect(200);
    const refused = await http().post('/containers').set(readOnly).send({});
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'this token is read-only: make the change with a full token');
    await issue(readOnly, { name: 'escalate' }).expect(403);
    await http().delete(`/tokens/${randomUUID()}`).set(readOnly).expect(403);
    const signIn = await http().post('/session').send({ token });
    assert.equal(signIn.status, 403);
    assert.match(signIn.body.message, /read-only token cannot open a dashboard session/);
  });

  it('refuses bad names, lifetimes, repeats and the admin token, each with the reason', async () => {
    assert.match(JSON.stringify((await issue(ada, { name: '' }).expect(400)).body.message), /name/);
    await issue(ada, { name: 'x'.repeat(65) }).expect(400);
    await issue(ada, { name: 'semi;colon' }).expect(400);
    await issue(ada, { name: 'ok', expiresInDays: 0 }).expect(400);
    await issue(ada, { name: 'ok', expiresInDays: 367 }).expect(400);
    await issue(ada, { name: 'ok', scope: 'admin' }).expect(400);
    await issue(ada, { name: 'ok', owner: 'bob' }).expect(400);
    await issue(ada, { name: 'twice' }).expect(201);
    assert.match(
      (await issue(ada, { name: 'twice' }).expect(409)).body.message,
      /already have a token named "twice"/,
    );
    const admin = await http().get('/tokens').set(auth).expect(409);
    assert.match(admin.body.message, /admin token from the configuration has no tokens of its own/);
    await http().delete('/tokens/not-a-uuid').set(ada).expect(400);
  });

  it('ends a token at its expiry and at its revocation, and the sessions it opened with it', async () => {
    const made = (await issue(bob, { name: 'session-maker', expiresInDays: 1 }).expect(201)).body;
    const signIn = await http().post('/session').send({ token: made.token }).expect(201);
    assert.ok(
      Date.parse(signIn.body.expiresAt) <= Date.parse(made.expiresAt),
      'the session ends by the token’s expiry',
    );
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    await http().get('/session').set('Cookie', cookie).expect(200);
    // Another member cannot revoke it: theirs answers as a token that does not exist.
    await http().delete(`/tokens/${made.id}`).set(ada).expect(404);
    await http().delete(`/tokens/${made.id}`).set(bob).expect(204);
    await http().get('/containers').set(bearer(made.token)).expect(401);
    const ended = await http().get('/session').set('Cookie', cookie).expect(401);
    assert.match(ended.body.message, /token this session was opened with has been revoked/);
    await http().delete(`/tokens/${made.id}`).set(bob).expect(404);

    // A token past its expiry, recorded as a token made long ago would have been.
    const store = manager.get(EventStore);
    const stream = Member.streamId('bob');
    const version = (await store.readStream(stream)).length;
    const { token, tokenDigest } = newMemberToken();
    const tokenId = randomUUID();
    const data = {
      name: 'bob',
      tokenId,
      label: 'old',
      tokenDigest,
      scope: 'full',
      expiresAt: '2026-01-01T00:00:00.000Z',
    };
    const { events } = await store.append(stream, version, [{ type: 'MemberTokenIssued', data }], {
      actor: 'member:bob',
      correlationId: randomUUID(),
      causationId: null,
    });
    const position = events[0].position;
    for (let tries = 0; tries < 50; tries++) {
      const listed = (await http().get('/tokens').set(bob).expect(200)).body;
      if (listed.some((one: { id: string }) => one.id === tokenId)) break;
      await sleep(20);
    }
    assert.ok(position > 0);
    const expired = await http().get('/containers').set(bearer(token)).expect(401);
    assert.equal(expired.body.message, 'the token "old" expired at 2026-01-01T00:00:00.000Z');
    const listed = (await http().get('/tokens').set(bob).expect(200)).body;
    assert.equal(listed.find((one: { id: string }) => one.id === tokenId).expired, true);
    await http().post('/session').send({ token }).expect(401);
  });
});
