import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthOnly, IcpFixture, sleep, until } from '../../../test/support/icp';
import { IcpCloseCode } from './frames';
import { Identity } from './identity';
import { IcpServer } from './icp-server';

describe('ICP sessions: one at a time, never locked out by a dead one, never displaced by an impostor', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  /** A second trusted Manager key, as during a key rotation. */
  let rotated: Identity;
  let worker: Identity;

  before(async () => {
    icp = await IcpFixture.create();
    [manager, rotated, worker] = await icp.identities('manager', 'rotated', 'worker');
    ({ server, port } = await icp.server(
      worker,
      () => [manager.fingerprint, rotated.fingerprint],
      healthOnly,
      {
        heartbeatMs: 300,
        authenticationTimeoutMs: 300,
      },
    ));
  });

  beforeEach(() => until(() => !server.hasSession));

  after(() => icp.cleanUp());

  async function session(identity: Identity) {
    const raw = icp.raw(port, identity);
    assert.equal((await raw.authenticate(identity.key)).command, 'reply');
    return raw;
  }

  async function serves(raw: Awaited<ReturnType<typeof session>>, id: string) {
    const seen = raw.frames.length;
    raw.send({ id, command: 'health', data: {} });
    const answer = await raw.frame(seen);
    assert.deepEqual(answer, { id, command: 'reply', data: { service: 'worker', version: 'test' } });
  }

  it('refuses another Manager with the busy code while the session answers heartbeats', async () => {
    const first = await session(manager);
    const second = icp.raw(port, rotated);
    const nonce = await second.challenge();
    assert.ok(nonce);
    await second.authenticate(rotated.key).catch(() => undefined);
    assert.equal((await second.waitClosed()).code, IcpCloseCode.Busy);
    await serves(first, 'still-first');
    assert.equal(first.closed, null);
    first.ws.close();
  });

  it('lets the same Manager start over: its new session replaces the old one', async () => {
    const old = await session(manager);
    const fresh = await session(manager);
    assert.equal((await old.waitClosed()).code, IcpCloseCode.Replaced);
    await serves(fresh, 'fresh');
    fresh.ws.close();
  });

  it('replaces a half-open session that no longer answers pings', async () => {
    const hung = await session(manager);
    hung.tls!.pause(); // still connected, never reads again: no pongs
    const next = await session(rotated);
    await serves(next, 'next').finally(() => next.ws.close());
    hung.tls!.resume(); // it finds its connection cut
    assert.equal((await hung.waitClosed()).code, 1006);
  });

  it('drops a session that misses a heartbeat, freeing the place without anyone asking', async () => {
    const hung = await session(manager);
    hung.tls!.pause();
    await until(() => server.hasSession, 500);
    await until(() => !server.hasSession, 2000);
  });

  it('never lets an unauthenticated connection displace or disturb the session', async () => {
    const live = await session(manager);
    const impostors = [icp.raw(port, manager), icp.raw(port, rotated), icp.raw(port, manager)];
    await Promise.all(impostors.map((raw) => raw.challenge()));
    await impostors[0].authenticate(worker.key).catch(() => undefined); // a key that is not the certificate's
    impostors[1].send('{"id":"x","command":"health","data":{}}'); // a request instead of authenticating
    // impostors[2] says nothing until the authentication timeout
    const codes = await Promise.all(impostors.map(async (raw) => (await raw.waitClosed()).code));
    assert.deepEqual(codes, [
      IcpCloseCode.Unauthenticated,
      IcpCloseCode.Unauthenticated,
      IcpCloseCode.AuthenticationTimeout,
    ]);
    await serves(live, 'live');
    assert.equal(live.closed, null);
    live.ws.close();
  });

  it('has the client redial and authenticate again after its session was dropped, saying since when it was down', async () => {
    const made = Date.now();
    const client = icp.client(port, manager, worker.fingerprint);
    assert.ok((client.unreachableSince?.getTime() ?? 0) >= made, 'down from the start until a session opens');
    await until(() => client.connected);
    assert.equal(client.unreachableSince, null);
    const dropped = Date.now();
    const intruder = await session(manager); // the same key: replaces the client's session
    await until(() => !client.connected);
    assert.ok((client.unreachableSince as Date | null)!.getTime() >= dropped);
    intruder.ws.close();
    await sleep(50);
    // Replaced sessions redial after the longest backoff (100 ms here), so two holders of a key do not flap.
    await until(() => client.connected, 3000);
    assert.equal(client.unreachableSince, null);
    assert.deepEqual(await client.request('health', {}, { timeoutMs: 2000 }), {
      service: 'worker',
      version: 'test',
    });
    client.stop();
  });
});
