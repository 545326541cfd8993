import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { healthOnly, IcpFixture, until } from '../../../test/support/icp';
import { IcpCloseCode } from './frames';
import { Identity } from './identity';
import { IcpServer } from './icp-server';

const FRAMES = 10_000;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Malformed or refused frames of many kinds; none of them is a request the server may run. */
function malformedFrames(count: number, seed: number): (string | Buffer)[] {
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const text = (length: number) =>
    Array.from({ length }, () => String.fromCodePoint(Math.floor(next() * 0xd7ff) + 1)).join('');
  const valid = JSON.stringify({ id: 'v', command: 'health', data: {} });
  const kinds: (() => string | Buffer)[] = [
    () => Buffer.from(Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256))),
    () => text(1 + Math.floor(next() * 40)),
    () => valid.slice(0, Math.floor(next() * (valid.length - 1))),
    () => JSON.stringify(pick([null, 0, -1, 'health', [], [valid], true, 1e308])),
    () => JSON.stringify({ id: pick([0, '', null, {}, [], 'x'.repeat(65)]), command: 'health', data: {} }),
    () =>
      JSON.stringify({ id: `f${next()}`, command: pick(['', 'x'.repeat(65), 7, null, undefined]), data: {} }),
    () =>
      JSON.stringify({
        id: `f${next()}`,
        command: pick(['rm', 'deploy ', 'HEALTH', 'reply', 'authenticate']),
      }),
    () =>
      JSON.stringify({ id: `f${next()}`, command: 'health', data: pick([null, [], 'x', { extra: 1 }, 5]) }),
    () =>
      JSON.stringify({
        id: `f${next()}`,
        command: 'deploy',
        data: {
          deploymentId: pick(['not-a-uuid', 42, null]),
          org: pick(['', 'a'.repeat(101), {}]),
          repo: 'r',
          branch: 'main',
          composePath: 'c',
        },
      }),
    () => `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"id":"p${next()}"}`,
    () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
    () => JSON.stringify({ id: `f${next()}`, command: 'health', data: { pad: text(2000) } }),
  ];
  return Array.from({ length: count }, () => pick(kinds)());
}

describe('ICP server under malformed input', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;

  before(async () => {
    icp = await IcpFixture.create();
    [manager, worker] = await icp.identities('manager', 'worker');
    ({ server, port } = await icp.server(worker, () => [manager.fingerprint], healthOnly, {
      authenticationTimeoutMs: 2000,
    }));
  });

  after(() => icp.cleanUp());

  it(`answers ${FRAMES} malformed frames on the session with error frames and keeps serving it`, async () => {
    const session = icp.raw(port, manager);
    await session.authenticate(manager.key);
    const frames = malformedFrames(FRAMES, 20261125);
    for (const frame of frames) session.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    await until(() => session.frames.length === 2 + FRAMES || session.closed !== null, 60_000);
    assert.equal(session.closed, null);
    const answers = session.frames.slice(2);
    assert.equal(answers.length, FRAMES);
    assert.deepEqual(new Set(answers.map((answer) => answer.command)), new Set(['error']));
    const codes = new Set(answers.map((answer) => (answer.data as { code: string }).code));
    assert.deepEqual([...codes].sort(), ['invalid_data', 'malformed_frame', 'unknown_command']);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    session.send({ id: 'after', command: 'health', data: {} });
    assert.deepEqual(await session.frame(2 + FRAMES), {
      id: 'after',
      command: 'reply',
      data: { service: 'worker', version: 'test' },
    });
    session.ws.close();
    await until(() => !server.hasSession);
  });

  it('closes connections that open with garbage instead of authenticating, and the session never notices', async () => {
    const session = icp.raw(port, manager);
    await session.authenticate(manager.key);
    const garbage = malformedFrames(100, 7);
    const codes = await Promise.all(
      garbage.map(async (frame) => {
        const raw = icp.raw(port, manager);
        await raw.challenge();
        raw.ws.send(frame, { binary: Buffer.isBuffer(frame) });
        return (await raw.waitClosed()).code;
      }),
    );
    assert.deepEqual(new Set(codes), new Set([IcpCloseCode.Unauthenticated]));
    session.send({ id: 'still', command: 'health', data: {} });
    assert.equal((await session.frame(2)).command, 'reply');
    assert.equal(session.closed, null);
    session.ws.close();
  });
});
