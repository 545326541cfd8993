import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthOnly, IcpFixture, until } from '../../../test/support/icp';
import { signChallenge } from './authentication';
import { IcpCloseCode } from './frames';
import { Identity } from './identity';
import { IcpServer } from './icp-server';

describe('ICP authentication: a signed nonce bound to the TLS session, on top of the pinned certificate', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;
  let stranger: Identity;

  before(async () => {
    icp = await IcpFixture.create();
    [manager, worker, stranger] = await icp.identities('manager', 'worker', 'stranger');
    ({ server, port } = await icp.server(worker, () => [manager.fingerprint], healthOnly, {
      authenticationTimeoutMs: 300,
    }));
  });

  beforeEach(() => until(() => !server.hasSession));

  after(() => icp.cleanUp());

  async function refusedWith(code: number, raw: ReturnType<IcpFixture['raw']>) {
    const closed = await raw.waitClosed();
    assert.equal(closed.code, code, closed.reason);
    assert.equal(server.hasSession, false);
  }

  it('opens the session once the signature verifies', async () => {
    const raw = icp.raw(port, manager);
    const answer = await raw.authenticate(manager.key);
    assert.deepEqual(answer, { id: 'auth', command: 'reply', data: { heartbeatMs: 15_000 } });
    await until(() => server.hasSession);
    raw.send({ id: 'h', command: 'health', data: {} });
    assert.equal((await raw.frame(2)).command, 'reply');
    raw.ws.close();
  });

  it('refuses a replayed signature: it was made for another nonce on another TLS session', async () => {
    const first = icp.raw(port, manager);
    const nonce = await first.challenge();
    const signature = signChallenge(manager.key, first.tls!, nonce);
    const second = icp.raw(port, manager);
    await second.challenge();
    second.send({ id: 'auth', command: 'authenticate', data: { signature } });
    const answer = await second.frame(1);
    assert.deepEqual(answer.data, { code: 'unauthenticated', message: 'authentication failed' });
    await refusedWith(IcpCloseCode.Unauthenticated, second);
    first.ws.close();
  });

  it('refuses a signature over the right nonce relayed from a different TLS session', async () => {
    const victim = icp.raw(port, manager);
    const nonce = await victim.challenge();
    const relay = icp.raw(port, manager);
    await relay.challenge();
    // Someone in the middle signs the victim's nonce over the session they hold with the real client.
    victim.send({
      id: 'auth',
      command: 'authenticate',
      data: { signature: signChallenge(manager.key, relay.tls!, nonce) },
    });
    await refusedWith(IcpCloseCode.Unauthenticated, victim);
    relay.ws.close();
  });

  it('refuses a signature by another key than the pinned certificate holds', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(stranger.key);
    await refusedWith(IcpCloseCode.Unauthenticated, raw);
  });

  it('refuses a request sent instead of the authentication', async () => {
    const raw = icp.raw(port, manager);
    await raw.challenge();
    raw.send({ id: 'h', command: 'health', data: {} });
    await refusedWith(IcpCloseCode.Unauthenticated, raw);
    assert.equal(raw.frames.filter((frame) => frame.command === 'reply').length, 0);
  });

  it('refuses a malformed authentication frame', async () => {
    const raw = icp.raw(port, manager);
    await raw.challenge();
    raw.send({ id: 'auth', command: 'authenticate', data: { signature: 'x', extra: true } });
    await refusedWith(IcpCloseCode.Unauthenticated, raw);
  });

  it('closes a connection that does not authenticate in time', async () => {
    const raw = icp.raw(port, manager);
    await raw.challenge();
    await refusedWith(IcpCloseCode.AuthenticationTimeout, raw);
  });

  it('refuses an unknown certificate, and an expired one even over the pinned key', async () => {
    for (const identity of [stranger, await icp.expired(manager)]) {
      const raw = icp.raw(port, identity);
      await raw.waitClosed();
      assert.equal(raw.refusedWith, 403);
    }
  });

  it('has the client refuse a server whose certificate expired, even over the pinned key', async () => {
    const expired = await icp.expired(worker);
    const { port: expiredPort } = await icp.server(expired, () => [manager.fingerprint], healthOnly);
    const client = icp.client(expiredPort, manager, worker.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.connected, false);
    client.stop();
  });

  it('reads the trust file on every connection: a Manager removed from it is refused at once', async () => {
    let trusted = [manager.fingerprint];
    const { port: rotating } = await icp.server(worker, () => trusted, healthOnly);
    const before = icp.raw(rotating, manager);
    assert.equal((await before.authenticate(manager.key)).command, 'reply');
    trusted = [stranger.fingerprint];
    const after = icp.raw(rotating, manager);
    await after.waitClosed();
    assert.equal(after.refusedWith, 403);
    before.ws.close();
  });
});
