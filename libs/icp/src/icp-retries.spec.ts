import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IcpFixture, until } from '../../../test/support/icp';
import { IcpData } from './commands';
import { Identity } from './identity';
import { IcpServer } from './icp-server';

const source = { org: 'o', branch: 'main', composePath: 'compose.yml' };
const ids = (n: number) => `6f1c4f7e-8a4b-4c1e-9a55-${n.toString().padStart(12, '0')}`;

describe('ICP at-most-once: a retried request id gets the recorded outcome, never a second run', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;
  const runs = new Map<string, number>();
  let gate: Promise<void> = Promise.resolve();

  before(async () => {
    icp = await IcpFixture.create();
    [manager, worker] = await icp.identities('manager', 'worker');
    ({ server, port } = await icp.server(worker, () => [manager.fingerprint], {
      health: async () => ({ service: 'worker', version: 'test' }),
      deploy: async (data: IcpData<'deploy'>, context) => {
        runs.set(data.deploymentId, (runs.get(data.deploymentId) ?? 0) + 1);
        context.progress('started');
        await gate;
        context.progress('finished');
        if (data.repo === 'broken') throw new Error(`compose failed (run ${runs.get(data.deploymentId)})`);
        return {
          commit: 'c'.repeat(40),
          composeDigest: `sha256:${'d'.repeat(64)}`,
          containers: [],
          diskBytes: 0,
        };
      },
    }));
  });

  beforeEach(() => until(() => !server.hasSession));

  after(() => icp.cleanUp());

  it('answers a repeated id from the record, for replies and errors alike', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(manager.key);
    for (const [id, repo] of [
      ['ok-1', 'app'],
      ['bad-1', 'broken'],
    ]) {
      const request = { id, command: 'deploy', data: { deploymentId: ids(repo.length), repo, ...source } };
      raw.send(request);
      await until(
        () => raw.frames.filter((frame) => frame.id === id && frame.command !== 'progress').length === 1,
      );
      raw.send(request);
      await until(
        () => raw.frames.filter((frame) => frame.id === id && frame.command !== 'progress').length === 2,
      );
      const [first, again] = raw.frames.filter((frame) => frame.id === id && frame.command !== 'progress');
      assert.deepEqual(again, first);
      assert.equal(runs.get(ids(repo.length)), 1);
    }
    raw.send({ id: 'ok-1', command: 'health', data: {} });
    const reused = await raw.frame(raw.frames.length);
    assert.deepEqual(reused.data, { code: 'duplicate_id', message: 'id ok-1 was used for "deploy"' });
    raw.ws.close();
  });

  it('runs a command once when the connection drops mid-command and the client retries it', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const client = icp.client(port, manager, worker.fingerprint);
    await until(() => client.connected);
    const lines: string[] = [];
    const deploymentId = ids(1000);
    const result = client.request(
      'deploy',
      { deploymentId, repo: 'app', ...source },
      { timeoutMs: 10_000, onProgress: (line) => lines.push(line) },
    );
    await until(() => runs.get(deploymentId) === 1);
    // The session is lost while the command runs: another connection of the same Manager takes it over.
    const intruder = icp.raw(port, manager);
    await intruder.authenticate(manager.key);
    await until(() => !client.connected);
    intruder.ws.close();
    await until(() => client.connected, 3000);
    open();
    assert.equal((await result).commit, 'c'.repeat(40));
    assert.equal(runs.get(deploymentId), 1);
    assert.deepEqual(lines, ['started', 'finished']);
    client.stop();
  });
});
