import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthOnly, IcpFixture, sleep, until } from '../../../test/support/icp';
import { IcpData } from './commands';
import { CommandContext } from './command-dispatcher';
import { IcpError } from './frames';
import { Identity } from './identity';
import { IcpServer } from './icp-server';

const follow = (repo: string) => ({ org: 'o', repo, tail: 0, follow: true });

describe('ICP cancel: a client stops a request it no longer wants', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;
  /** Per repo: how often the handler started, and whether its run ended (by its signal). */
  const runs = new Map<string, { started: number; ended: boolean; reason?: unknown }>();

  /** Prints a line every 20 ms until cancelled; "throws" ends with an error instead of a reply. */
  async function following(data: IcpData<'containerLogs'>, { progress, signal }: CommandContext) {
    const run = runs.get(data.repo) ?? { started: 0, ended: false };
    runs.set(data.repo, { ...run, started: run.started + 1 });
    let lines = 0;
    const timer = setInterval(() => progress(`web | line ${++lines}`), 20);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    clearInterval(timer);
    runs.set(data.repo, { ...runs.get(data.repo)!, ended: true, reason: signal.reason });
    if (data.repo === 'throws') throw new Error('stream closed');
    return { lines, dropped: 0 };
  }

  before(async () => {
    icp = await IcpFixture.create();
    [manager, worker] = await icp.identities('manager', 'worker');
    ({ server, port } = await icp.server(
      worker,
      () => [manager.fingerprint],
      { ...healthOnly, containerLogs: following },
      { abandonAfterMs: 300 },
    ));
  });

  beforeEach(() => until(() => !server.hasSession));

  after(() => icp.cleanUp());

  it('fails the request with "cancelled" at once, stops the handler, and no progress follows', async () => {
    const client = icp.client(port, manager, worker.fingerprint);
    await until(() => client.connected);
    const lines: string[] = [];
    const abort = new AbortController();
    const request = client.request('containerLogs', follow('app'), {
      timeoutMs: Infinity,
      signal: abort.signal,
      onProgress: (line) => lines.push(line),
    });
    await until(() => lines.length >= 3);
    abort.abort();
    await assert.rejects(request, (error: IcpError) => error.code === 'cancelled');
    await until(() => runs.get('app')?.ended === true);
    const seen = lines.length;
    await sleep(100);
    assert.equal(lines.length, seen, 'no progress after the cancel');
    assert.deepEqual(await client.request('health', {}, { timeoutMs: 2000 }), {
      service: 'worker',
      version: 'test',
    });
    await assert.rejects(
      client.request('containerLogs', follow('never'), { timeoutMs: 2000, signal: AbortSignal.abort() }),
      (error: IcpError) => error.code === 'cancelled',
    );
    assert.equal(runs.has('never'), false, 'an already aborted request is never sent');
    client.stop();
  });

  it('records a cancelled outcome: the same id again gets "cancelled", never a second run', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(manager.key);
    const request = { id: 'logs-1', command: 'containerLogs', data: follow('throws') };
    raw.send(request);
    await until(() => raw.frames.some((frame) => frame.command === 'progress'));
    raw.send({ id: 'logs-1', command: 'cancel', data: {} });
    const answers = () => raw.frames.filter((frame) => frame.id === 'logs-1' && frame.command === 'error');
    await until(() => answers().length === 1);
    assert.equal((answers()[0].data as { code: string }).code, 'cancelled');
    raw.send(request);
    await until(() => answers().length === 2);
    assert.deepEqual(answers()[1], answers()[0]);
    assert.equal(runs.get('throws')?.started, 1);
    raw.ws.close();
  });

  it('ignores cancelling an unknown or finished id, and serves on', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(manager.key);
    raw.send({ id: 'h-1', command: 'health', data: {} });
    await until(() => raw.frames.some((frame) => frame.id === 'h-1'));
    raw.send({ id: 'h-1', command: 'cancel', data: {} });
    raw.send({ id: 'nobody', command: 'cancel', data: {} });
    raw.send({ id: 'h-2', command: 'health', data: {} });
    await until(() => raw.frames.some((frame) => frame.id === 'h-2'));
    assert.deepEqual(
      raw.frames.slice(2).map(({ id, command }) => `${id} ${command}`),
      ['h-1 reply', 'h-2 reply'],
    );
    raw.ws.close();
  });

  it('tells the server on the next session when cancelled while the session was down, and never resends the request', async () => {
    const client = icp.client(port, manager, worker.fingerprint);
    await until(() => client.connected);
    const abort = new AbortController();
    const request = client.request('containerLogs', follow('dropped'), {
      timeoutMs: Infinity,
      signal: abort.signal,
    });
    await until(() => runs.get('dropped')?.started === 1);
    // The session is lost: another connection of the same Manager takes it over, then goes away.
    const intruder = icp.raw(port, manager);
    await intruder.authenticate(manager.key);
    await until(() => !client.connected);
    abort.abort();
    await assert.rejects(request, (error: IcpError) => error.code === 'cancelled');
    intruder.ws.close();
    await until(() => client.connected, 3000);
    await until(() => runs.get('dropped')?.ended === true, 3000);
    assert.equal(runs.get('dropped')?.reason, 'the client cancelled it');
    assert.equal(runs.get('dropped')?.started, 1);
    client.stop();
  });

  it('cancels a command nobody listens to any more once the connection is gone for a while', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(manager.key);
    raw.send({ id: 'orphan-1', command: 'containerLogs', data: follow('orphan') });
    await until(() => raw.frames.some((frame) => frame.command === 'progress'));
    raw.ws.close();
    await sleep(100);
    assert.equal(runs.get('orphan')?.ended, false, 'still running within the grace period');
    await until(() => runs.get('orphan')?.ended === true, 2000);
    assert.equal(runs.get('orphan')?.reason, 'nobody listened to it any more');
  });
});
