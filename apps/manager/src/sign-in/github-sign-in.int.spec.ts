import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CookieBrowser, Hop } from '../../../../test/support/cookie-browser';
import { GitHubStandIn } from '../../../../test/support/github-stand-in';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

const SESSION_MS = 3000;

/**
 * Sign in with GitHub against a stand-in for GitHub on 127.0.0.1 (GitHub cannot be reached from here) that
 * speaks its documented OAuth web flow and REST calls, walked hop by hop as a browser would.
 */
describe('Manager: sign in with GitHub (OAuth web flow against a GitHub stand-in; real database)', () => {
  let github: GitHubStandIn;
  let manager: ManagerApp;
  let base: string;
  let secrets: string;

  const start = async (purpose: string, env: Record<string, string> = {}) => {
    const app = await ManagerApp.start(purpose, {
      ALLOWED_ORGS: 'acme',
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET_FILE: join(secrets, 'github'),
      GITHUB_URL: github.url,
      GITHUB_API_URL: github.url,
      EXTERNAL_SESSION_TTL_MS: String(SESSION_MS),
      ...env,
    });
    await app.app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}`;
    return { app, url };
  };
  /** The sign-in from the dashboard's button to its end: the hops, and the browser that made them. */
  const signIn = async (browser = new CookieBrowser(), at = base) => {
    github.redirectUri = `${at}/session/github/callback`;
    const hops = await browser.walk(
      `${at}/session/github`,
      (hop) => hop.location?.startsWith('/ui/') ?? false,
    );
    return { hops, browser, last: hops[hops.length - 1] };
  };
  /** Stops where the provider sends the browser back. */
  const toCallback = (hop: Hop) => hop.location?.startsWith(`${base}/session/github/callback`) ?? false;
  /** Why the sign-in was refused, as the sign-in page asks the Manager. */
  const problem = async (hop: Hop, at = base) => {
    const id = new URL(hop.location ?? '', base).searchParams.get('signInRefusal');
    if (!id) return null;
    return ((await (await fetch(`${at}/session/refusals/${id}`)).json()) as { reason: string }).reason;
  };
  const session = (browser: CookieBrowser, at = base) =>
    fetch(`${at}/session`, {
      headers: { Cookie: `td_session=${browser.cookie(new URL(at).host, 'td_session')}` },
    });

  before(async () => {
    github = await GitHubStandIn.start('Iv1.standin', 'stand-in-client-secret-0123456789');
    secrets = await mkdtemp(join(tmpdir(), 'sign-in-'));
    await writeFile(join(secrets, 'github'), `${github.clientSecret}\n`, { mode: 0o600 });
    ({ app: manager, url: base } = await start('github-sign-in'));
    await manager.http().post('/members').set(auth).send({ name: 'ada' }).expect(201);
    await manager.http().put('/members/ada/identities/github').set(auth).send({ login: 'Ada-L' }).expect(200);
  });

  after(async () => {
    await manager.stop();
    await github.stop();
    await rm(secrets, { recursive: true, force: true });
  });

  it('signs a linked member of an allowed organisation in: state, PKCE, read:org only, a session that ends soon', async () => {
    github.user = { id: 1001, login: 'Ada-L', orgs: ['Acme', 'elsewhere'] };
    const { hops, browser, last } = await signIn();
    const authorize = new URL(hops[0].location ?? '');
    assert.equal(hops[0].status, 302);
    assert.equal(authorize.origin + authorize.pathname, `${github.url}/login/oauth/authorize`);
    assert.equal(authorize.searchParams.get('scope'), 'read:org');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(
      hops[0].setCookies[0],
      /^td_signin=[^;]+; Path=\/session; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
    assert.equal(last.status, 303);
    assert.equal(last.location, '/ui/');
    assert.ok(last.setCookies.some((line) => /^td_session=.+HttpOnly; SameSite=Strict/.test(line)));
    assert.ok(
      last.setCookies.some((line) => /^td_signin=; .*Max-Age=0/.test(line)),
      'the flow cookie is cleared',
    );
    const who = (await (await session(browser)).json()) as Record<string, string>;
    assert.deepEqual(
      { ...who, expiresAt: undefined },
      {
        actor: 'member:ada',
        role: 'member',
        member: 'ada',
        via: 'session',
        expiresAt: undefined,
      },
    );
    assert.ok(Date.parse(who.expiresAt) <= Date.now() + SESSION_MS, 'bounded by EXTERNAL_SESSION_TTL_MS');
    const [ada] = (await manager.http().get('/members').set(auth).expect(200)).body;
    assert.deepEqual(ada.identities, [{ provider: 'github', login: 'Ada-L', signedIn: true }]);
    const linked = (await manager.http().get('/audit?type=MemberIdentityLinked').set(auth).expect(200)).body
      .entries;
    assert.deepEqual(linked[0].data, { name: 'ada', provider: 'github', login: 'Ada-L', subject: '1001' });
    assert.equal(linked[0].actor, 'member:ada');
    assert.ok(!JSON.stringify(linked).includes('gho_'), 'no access token is recorded');
  });

  it('refuses a wrong state, a sign-in begun in another browser, and a replayed code', async () => {
    github.user = { id: 1001, login: 'Ada-L', orgs: ['acme'] };
    github.redirectUri = `${base}/session/github/callback`;
    const browser = new CookieBrowser();
    const [, back] = await browser.walk(`${base}/session/github`, toCallback);
    const callback = new URL(back.location ?? '');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    const wrong = await browser.request(forged.toString());
    assert.equal(wrong.status, 303);
    assert.match((await problem(wrong)) ?? '', /does not carry this sign-in's state/);
    assert.equal(browser.cookie(new URL(base).host, 'td_session'), undefined);

    const [, another] = await new CookieBrowser().walk(`${base}/session/github`, toCallback);
    const stranger = await new CookieBrowser().request(another.location ?? '');
    assert.match((await problem(stranger)) ?? '', /not begun in this browser/);

    // The code of a finished sign-in, brought back under a new sign-in's state: GitHub refuses it.
    const first = await signIn();
    assert.equal(first.last.location, '/ui/');
    const usedCode = new URL(first.hops[1].location ?? '').searchParams.get('code') ?? '';
    const replaying = new CookieBrowser();
    const [, fresh] = await replaying.walk(`${base}/session/github`, toCallback);
    const replay = new URL(fresh.location ?? '');
    replay.searchParams.set('code', usedCode);
    const replayed = await replaying.request(replay.toString());
    assert.equal(
      await problem(replayed),
      'GitHub did not accept the sign-in: The code passed is incorrect or expired.',
    );
  });

  it('refuses a user outside the allowed organisations, an unlinked account, and a login now someone else’s', async () => {
    github.user = { id: 1001, login: 'Ada-L', orgs: ['other-org'] };
    assert.equal(
      await problem((await signIn()).last),
      'GitHub says "Ada-L" is not a member of an allowed organisation (acme)',
    );
    github.user = { id: 3003, login: 'nobody-here', orgs: ['acme'] };
    assert.match(
      (await problem((await signIn()).last)) ?? '',
      /account "nobody-here" is not linked to a member here: ask an admin/,
    );
    // Ada renamed her GitHub account and someone else took "Ada-L": that account is not her.
    github.user = { id: 6666, login: 'Ada-L', orgs: ['acme'] };
    assert.equal(
      await problem((await signIn()).last),
      'the github login "Ada-L" is linked to another account of github',
    );
    // Linking the login again is refused: it would unbind the account that signed in with it.
    await manager.http().put('/members/ada/identities/github').set(auth).send({ login: 'ada-l' }).expect(409);
    // Nor can an admin give one login to two members.
    await manager.http().post('/members').set(auth).send({ name: 'eve' }).expect(201);
    const twice = await manager
      .http()
      .put('/members/eve/identities/github')
      .set(auth)
      .send({ login: 'ada-l' })
      .expect(409);
    assert.match(twice.body.message, /linked to member "ada"/);
    await manager.http().put('/members/eve/identities/gitlab').set(auth).send({ login: 'eve' }).expect(400);
    await manager
      .http()
      .put('/members/eve/identities/github')
      .set(auth)
      .send({ login: 'bad login!' })
      .expect(400);
  });

  it('ends access of a member who left the organisation: at the next sign-in, and with the session’s short life', async () => {
    github.user = { id: 1001, login: 'Ada-L', orgs: ['acme'] };
    const { browser } = await signIn();
    assert.equal((await session(browser)).status, 200);
    github.user = { id: 1001, login: 'Ada-L', orgs: [] };
    assert.match((await problem((await signIn()).last)) ?? '', /not a member of an allowed organisation/);
    await sleep(SESSION_MS + 200);
    const ended = await session(browser);
    assert.equal(ended.status, 401);
    assert.match(((await ended.json()) as { message: string }).message, /session expired/);
  });

  it('offers GitHub on the sign-in page only when set up, and says why not when it is not', async () => {
    assert.deepEqual((await (await fetch(`${base}/session/providers`)).json()) as object, {
      github: true,
      oidc: null,
    });
    const plain = await ManagerApp.start('github-sign-in-off');
    try {
      await plain.http().get('/session/providers').expect(200, { github: false, oidc: null });
      const refused = await plain.http().get('/session/github').expect(302);
      const id = new URL(refused.headers.location, 'http://x').searchParams.get('signInRefusal');
      await plain
        .http()
        .get(`/session/refusals/${id}`)
        .expect(200, { reason: 'Sign in with GitHub is not set up on this Manager' });
      await plain.http().get('/session/refusals/forged-id').expect(404);
    } finally {
      await plain.stop();
    }
    await assert.rejects(
      ManagerApp.start('github-sign-in-bad', {
        GITHUB_CLIENT_ID: 'x',
        GITHUB_CLIENT_SECRET_FILE: join(secrets, 'missing'),
      }),
      /GITHUB_CLIENT_SECRET_FILE .*missing cannot be read \(ENOENT\)/,
    );
    await assert.rejects(ManagerApp.start('github-sign-in-half', { GITHUB_CLIENT_ID: 'x' }), /go together/);
  });

  it('makes the account of a first sign-in when SIGN_IN_CREATES_MEMBERS is on', async () => {
    const { app, url } = await start('github-sign-in-creates', { SIGN_IN_CREATES_MEMBERS: 'true' });
    try {
      github.user = { id: 4004, login: 'Grace-H', orgs: ['acme'] };
      const { browser, last } = await signIn(new CookieBrowser(), url);
      assert.equal(last.location, '/ui/');
      assert.equal(((await (await session(browser, url)).json()) as { member: string }).member, 'grace-h');
      const created = (
        await app.http().get('/audit?streamId=member-grace-h&order=oldest').set(auth).expect(200)
      ).body.entries;
      assert.deepEqual(
        created.map(({ type, actor }: { type: string; actor: string }) => `${type} ${actor}`),
        ['MemberAdded github:Grace-H', 'MemberIdentityLinked github:Grace-H'],
      );
      github.user = { id: 5005, login: '9lives', orgs: ['acme'] };
      assert.match(
        (await problem((await signIn(new CookieBrowser(), url)).last, url)) ?? '',
        /cannot name a member .*ask an admin to add you/,
      );
    } finally {
      await app.stop();
    }
  });
});
