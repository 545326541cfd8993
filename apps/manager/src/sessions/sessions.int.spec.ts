import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp, TEST_TOKEN } from '../../../../test/support/manager-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The `td_session=…` pair of a sign-in's Set-Cookie, to send back as a browser would. */
function cookieOf(setCookie: string[] | string | undefined): string {
  const [first] = ([] as string[]).concat(setCookie ?? []);
  assert.ok(first, 'a Set-Cookie header');
  return first.split(';')[0];
}

describe('Manager REST: dashboard sessions (real database)', () => {
  let manager: ManagerApp;
  let origin: string;

  before(async () => {
    manager = await ManagerApp.start('sessions', { SESSION_SWEEP_MS: '0' });
    await manager.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(manager.app.getHttpServer().address() as { port: number }).port}`;
  });

  after(() => manager.stop());

  const signIn = async (token: string) => {
    const answer = await manager.http().post('/session').send({ token }).expect(201);
    return { answer, cookie: cookieOf(answer.headers['set-cookie']) };
  };

  it('trades a token for an HttpOnly, SameSite=Strict cookie that expires, Secure behind HTTPS', async () => {
    const { answer, cookie } = await signIn(TEST_TOKEN);
    const [setCookie] = answer.headers['set-cookie'] as unknown as string[];
    assert.match(
      setCookie,
      /^td_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43\d{3}; HttpOnly; SameSite=Strict$/,
    );
    assert.equal(answer.body.actor, 'admin');
    assert.equal(answer.body.via, 'session');
    assert.ok(Date.parse(answer.body.expiresAt) > Date.now() + 11 * 3600_000);
    const me = await manager.http().get('/session').set('Cookie', cookie).expect(200);
    assert.deepEqual(me.body, { ...answer.body });
    await manager.http().get('/members').set('Cookie', cookie).expect(200);

    const proxied = await manager
      .http()
      .post('/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ token: TEST_TOKEN })
      .expect(201);
    assert.match(String(proxied.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Secure$/);
    const byToken = await manager.http().get('/session').set(auth).expect(200);
    assert.equal(byToken.body.via, 'token');
    assert.equal(byToken.body.expiresAt, null);
  });

  it('refuses a wrong token, a cross-site sign-in, and sets no cookie for them', async () => {
    const wrong = await manager
      .http()
      .post('/session')
      .send({ token: `${TEST_TOKEN}x` })
      .expect(401);
    assert.match(wrong.body.message, /the token is not valid/);
    assert.equal(wrong.headers['set-cookie'], undefined);
    const foreign = await manager
      .http()
      .post('/session')
      .set('Origin', 'https://evil.example')
      .send({ token: TEST_TOKEN })
      .expect(403);
    assert.match(foreign.body.message, /refused a sign-in: it comes from https:\/\/evil\.example/);
    assert.equal(foreign.headers['set-cookie'], undefined);
    await manager.http().post('/session').send({ token: '' }).expect(400);
    await manager.http().post('/session').send({ token: TEST_TOKEN, extra: 1 }).expect(400);
  });

  it("lets a cookie change state only from the dashboard's own origin", async () => {
    const { cookie } = await signIn(TEST_TOKEN);
    const post = (headers: Record<string, string>, name: string) =>
      manager.http().post('/members').set('Cookie', cookie).set(headers).send({ name });
    const bare = await post({}, 'olga').expect(403);
    assert.match(bare.body.message, /session cookie: it carries no Origin header/);
    const foreign = await post({ Origin: 'https://evil.example' }, 'olga').expect(403);
    assert.match(foreign.body.message, /it comes from https:\/\/evil\.example, another site/);
    await post({ Origin: 'null' }, 'olga').expect(403);
    await post({ Origin: origin }, 'olga').expect(201);
    // A bearer token is not a cookie: no browser sends it by itself, so no Origin is needed.
    await manager.http().post('/members').set(auth).send({ name: 'pete' }).expect(201);
    const audit = await manager.http().get('/audit?streamId=member-olga').set(auth).expect(200);
    assert.equal(audit.body.entries.length, 1, 'the refused tries recorded nothing');
  });

  it('signs out on the server: the cookie stops working at once', async () => {
    const { cookie } = await signIn(TEST_TOKEN);
    const out = await manager
      .http()
      .delete('/session')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .expect(204);
    assert.match(
      String(out.headers['set-cookie']),
      /^td_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/,
    );
    const after = await manager.http().get('/members').set('Cookie', cookie).expect(401);
    assert.match(after.body.message, /this session has ended: sign in again/);
    const noSession = await manager.http().delete('/session').set(auth).expect(409);
    assert.match(noSession.body.message, /bearer token: there is no session to end/);
  });

  it("gives a member's session the member's rights, and ends it with the member or their token", async () => {
    const { body: erin } = await manager.http().post('/members').set(auth).send({ name: 'erin' }).expect(201);
    const { cookie, answer } = await signIn(erin.token);
    assert.deepEqual(
      { actor: answer.body.actor, role: answer.body.role, member: answer.body.member },
      { actor: 'member:erin', role: 'member', member: 'erin' },
    );
    const refused = await manager.http().get('/members').set('Cookie', cookie).expect(403);
    assert.match(refused.body.message, /for admins/);
    await manager.http().get('/containers').set('Cookie', cookie).expect(200);
    // A bearer header wins over the cookie: a wrong one is refused, whatever the cookie says.
    await manager.http().get('/containers').set('Cookie', cookie).set(bearer('nope')).expect(401);

    await manager.http().post('/members/erin/token').set(auth).expect(200);
    const replaced = await manager.http().get('/containers').set('Cookie', cookie).expect(401);
    assert.match(replaced.body.message, /token was replaced after the session began/);

    const { body: fred } = await manager.http().post('/members').set(auth).send({ name: 'fred' }).expect(201);
    const { cookie: fredCookie } = await signIn(fred.token);
    await manager.http().delete('/members/fred').set(auth).expect(204);
    await manager.http().post('/members').set(auth).send({ name: 'fred' }).expect(201);
    const removed = await manager.http().get('/containers').set('Cookie', fredCookie).expect(401);
    assert.match(removed.body.message, /the member this session was for has been removed/);
  });

  it('records sessions as events without their secret', async () => {
    const { cookie } = await signIn(TEST_TOKEN);
    const secret = cookie.split('=')[1];
    const { body } = await manager.http().get('/audit?type=SignedIn').set(auth).expect(200);
    assert.ok(body.entries.length >= 1);
    assert.ok(!JSON.stringify(body).includes(secret), 'no session secret in the log');
    assert.ok(!JSON.stringify(body).includes(TEST_TOKEN), 'no token in the log');
    const ended = await manager.http().get('/audit?type=SignedOut').set(auth).expect(200);
    assert.ok(ended.body.entries.length >= 1, 'the sign-out of the test before is recorded');
  });
});

describe('Manager REST: sessions that expire (real database)', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('session-expiry', { SESSION_TTL_MS: '1000', SESSION_SWEEP_MS: '200' });
  });

  after(() => manager.stop());

  it('refuses a session after its expiry and records the expiry, used or not', async () => {
    const used = await manager.http().post('/session').send({ token: TEST_TOKEN }).expect(201);
    await manager.http().post('/session').send({ token: TEST_TOKEN }).expect(201);
    assert.match(String(used.headers['set-cookie']), /Max-Age=[01];/);
    await sleep(1100);
    const late = await manager.http().get('/session').set('Cookie', cookieOf(used.headers['set-cookie']));
    assert.ok(late.status === 401, `401, not ${late.status}`);
    assert.match(late.body.message, /this session (expired at .*|has ended): sign in again/);
    let expired: { data: { sessionId: string } }[] = [];
    for (let tries = 0; tries < 50 && expired.length < 2; tries++) {
      expired = (await manager.http().get('/audit?type=SessionExpired').set(auth)).body.entries;
      await sleep(100);
    }
    const started = (await manager.http().get('/audit?type=SignedIn').set(auth)).body
      .entries as typeof expired;
    assert.deepEqual(
      expired.map((entry) => entry.data.sessionId).sort(),
      started.map((entry) => entry.data.sessionId).sort(),
      'both sessions are recorded as expired, once each',
    );
  });
});
