import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieBrowser, Hop } from '../../../../test/support/cookie-browser';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { OidcTestProvider } from '../../../../test/support/oidc-test-provider';
import { freePort } from '../../../../test/support/ports';
import { OidcAccounts } from './oidc-accounts';

/** Sign in through a real OpenID Connect provider (`oidc-provider`) on 127.0.0.1, walked as a browser would. */
describe('Manager: sign in with OpenID Connect (code flow, PKCE, ID token checked; real provider and database)', () => {
  let provider: OidcTestProvider;
  let manager: ManagerApp;
  let base: string;
  let secrets: string;
  const client = {
    clientId: 'testausdeploy',
    clientSecret: 'oidc-client-secret-0123456789abcdef',
    redirectUri: '',
  };

  const toCallback = (hop: Hop) => hop.location?.startsWith(`${base}/session/oidc/callback`) ?? false;
  /** Why the sign-in was refused, as the sign-in page asks the Manager. */
  const problem = async (hop: Hop) => {
    const id = new URL(hop.location ?? '', base).searchParams.get('signInRefusal');
    if (!id) return null;
    return ((await (await fetch(`${base}/session/refusals/${id}`)).json()) as { reason: string }).reason;
  };
  /** The hops of a sign-in as `login`, up to where the provider sends the browser back (not followed). */
  const toProvider = (browser: CookieBrowser, login: string) =>
    provider.signIn(browser, `${base}/session/oidc`, login, toCallback);

  before(async () => {
    const [managerPort, providerPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${managerPort}`;
    client.redirectUri = `${base}/session/oidc/callback`;
    provider = await OidcTestProvider.start(client, providerPort);
    secrets = await mkdtemp(join(tmpdir(), 'oidc-'));
    await writeFile(join(secrets, 'oidc'), client.clientSecret, { mode: 0o600 });
    manager = await ManagerApp.start('oidc-sign-in', {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET_FILE: join(secrets, 'oidc'),
      OIDC_NAME: 'Authentik',
    });
    await manager.app.listen(managerPort, '127.0.0.1');
    await manager.http().post('/members').set(auth).send({ name: 'ada' }).expect(201);
    await manager.http().put('/members/ada/identities/oidc').set(auth).send({ login: 'ada' }).expect(200);
  });

  after(async () => {
    await manager.stop();
    await provider.stop();
    await rm(secrets, { recursive: true, force: true });
  });

  it('signs a linked member in through the provider’s login and consent, with PKCE, nonce and state', async () => {
    await manager
      .http()
      .get('/session/providers')
      .expect(200, { github: false, oidc: { name: 'Authentik' } });
    const browser = new CookieBrowser();
    const hops = await toProvider(browser, 'ada');
    const authorize = new URL(hops[0].location ?? '');
    assert.equal(authorize.origin, provider.issuer);
    for (const [key, value] of [
      ['response_type', 'code'],
      ['code_challenge_method', 'S256'],
      ['scope', 'openid profile email'],
      ['client_id', client.clientId],
      ['redirect_uri', client.redirectUri],
    ]) {
      assert.equal(authorize.searchParams.get(key), value, key);
    }
    assert.match(authorize.searchParams.get('nonce') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const back = hops[hops.length - 1];
    assert.ok(toCallback(back), `the provider sent the browser back: ${back.url} ${back.status}`);
    const done = await browser.request(back.location ?? '');
    assert.equal(done.location, '/ui/', (await problem(done)) ?? '');
    const who = await fetch(`${base}/session`, {
      headers: { Cookie: `td_session=${browser.cookie(new URL(base).host, 'td_session')}` },
    });
    assert.equal(((await who.json()) as { member: string }).member, 'ada');
    const linked = (await manager.http().get('/audit?type=MemberIdentityLinked').set(auth).expect(200)).body
      .entries;
    assert.deepEqual(linked[0].data, { name: 'ada', provider: 'oidc', login: 'ada', subject: 'ada' });
  });

  it('refuses an account no member is linked to, a wrong state and a replayed code', async () => {
    const mallory = new CookieBrowser();
    const hops = await toProvider(mallory, 'mallory');
    const refused = await mallory.request(hops[hops.length - 1].location ?? '');
    assert.match(
      (await problem(refused)) ?? '',
      /OpenID Connect account "mallory" is not linked to a member here/,
    );

    const browser = new CookieBrowser();
    const back = new URL((await toProvider(browser, 'ada')).at(-1)?.location ?? '');
    const forged = new URL(back);
    forged.searchParams.set('state', 'not-the-state');
    assert.match(
      (await problem(await browser.request(forged.toString()))) ?? '',
      /does not carry this sign-in's state/,
    );

    // The code came back in a finished sign-in; brought back again under a new sign-in's state, the provider refuses it.
    const first = new CookieBrowser();
    const firstBack = new URL((await toProvider(first, 'ada')).at(-1)?.location ?? '');
    assert.equal((await first.request(firstBack.toString())).location, '/ui/');
    const replaying = new CookieBrowser();
    const replay = new URL((await toProvider(replaying, 'ada')).at(-1)?.location ?? '');
    replay.searchParams.set('code', firstBack.searchParams.get('code') ?? '');
    assert.match(
      (await problem(await replaying.request(replay.toString()))) ?? '',
      /^the provider did not accept the sign-in: /,
    );
  });

  it("checks the ID token: the provider's signature, issuer, audience, expiry, age and this sign-in's nonce", async () => {
    const accounts = manager.get(OidcAccounts);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'ada', preferred_username: 'ada', nonce: 'the-nonce' };
    const token = (
      key: CryptoKey,
      changes: { iss?: string; aud?: string; iat?: number; exp?: number; nonce?: string } = {},
    ) =>
      new SignJWT({ ...claims, ...(changes.nonce && { nonce: changes.nonce }) })
        .setProtectedHeader({ alg: 'RS256', kid: provider.keyId })
        .setIssuer(changes.iss ?? provider.issuer)
        .setAudience(changes.aud ?? client.clientId)
        .setIssuedAt(changes.iat ?? now)
        .setExpirationTime(changes.exp ?? now + 300)
        .sign(key);
    const own = provider.signingKey;
    assert.deepEqual(await accounts.checked(await token(own), 'the-nonce'), {
      subject: 'ada',
      login: 'ada',
    });
    const foreign = (await generateKeyPair('RS256')).privateKey;
    const refusals: [string, Promise<string>, RegExp][] = [
      ['expired', token(own, { iat: now - 600, exp: now - 60 }), /"exp" claim timestamp check failed/],
      ['signed by another key', token(foreign), /signature verification failed/],
      ['for another client', token(own, { aud: 'someone-else' }), /unexpected "aud" claim value/],
      ['from another issuer', token(own, { iss: 'http://127.0.0.1:1/evil' }), /unexpected "iss" claim value/],
      [
        'issued too long ago',
        token(own, { iat: now - 3600, exp: now + 300 }),
        /"iat" claim timestamp check failed/,
      ],
      ['for another sign-in', token(own, { nonce: 'another-nonce' }), /not for this sign-in \(nonce\)/],
    ];
    for (const [what, signed, reason] of refusals) {
      await assert.rejects(accounts.checked(await signed, 'the-nonce'), reason, what);
    }
    await assert.rejects(accounts.checked('not.a.jwt', 'the-nonce'), /ID token is not valid/);
    // An email the provider does not say it verified is no login: anyone could put alice@… in their profile.
    const unverified = await new SignJWT({ sub: 'x', nonce: 'the-nonce', email: 'ada@example.org' })
      .setProtectedHeader({ alg: 'RS256', kid: provider.keyId })
      .setIssuer(provider.issuer)
      .setAudience(client.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(own);
    await assert.rejects(
      accounts.checked(unverified, 'the-nonce'),
      /neither a preferred_username nor a verified email/,
    );
  });
});
