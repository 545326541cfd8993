import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { IcpClient } from './icp-client';
import { IcpCloseCode, IcpError } from './frames';
import { Identity, loadOrCreateIdentity } from './identity';
import { IcpServer } from './icp-server';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ICP over mutual TLS', () => {
  let dir: string;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;
  let stranger: Identity;
  const clients: IcpClient[] = [];

  function client(identity: Identity, serverFingerprint = worker.fingerprint): IcpClient {
    const icp = new IcpClient({
      url: `wss://127.0.0.1:${port}`,
      identity,
      serverFingerprint,
      logger: quiet,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    clients.push(icp);
    icp.start();
    return icp;
  }

  function rawSocket(identity: Identity): WebSocket {
    return new WebSocket(`wss://127.0.0.1:${port}`, {
      key: identity.key,
      cert: identity.cert,
      rejectUnauthorized: false,
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'icp-'));
    [manager, worker, stranger] = await Promise.all(
      ['manager', 'worker', 'stranger'].map((name) => loadOrCreateIdentity(join(dir, name), name)),
    );
    server = new IcpServer({
      host: '127.0.0.1',
      port: 0,
      identity: worker,
      trustedFingerprint: async () => manager.fingerprint,
      logger: quiet,
      handlers: {
        health: async () => ({ service: 'worker', version: 'test' }),
        deploy: async (data, context) => {
          context.progress(`building ${data.repo}`);
          if (data.repo === 'broken') throw new Error('compose failed: no such service');
          return { commit: 'a'.repeat(40), composeDigest: `sha256:${'b'.repeat(64)}`, containers: [] };
        },
      },
    });
    port = (await server.listen()).port;
  });

  after(async () => {
    clients.forEach((icp) => icp.stop());
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the identity private and stable across restarts', async () => {
    const again = await loadOrCreateIdentity(join(dir, 'worker'), 'worker');
    assert.equal(again.fingerprint, worker.fingerprint);
    assert.equal((await stat(join(dir, 'worker', 'icp-key.pem'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'worker'))).mode & 0o777, 0o700);
  });

  it('serves the pinned Manager: replies, progress and command errors', async () => {
    const icp = client(manager);
    await until(() => icp.connected);
    assert.deepEqual(await icp.request('health', {}, { timeoutMs: 2000 }), {
      service: 'worker',
      version: 'test',
    });

    const lines: string[] = [];
    const source = { org: 'o', branch: 'main', composePath: 'compose.yml' };
    const deploymentId = '6f1c4f7e-8a4b-4c1e-9a55-0d3c2b1a0f00';
    const result = await icp.request(
      'deploy',
      { deploymentId, repo: 'app', ...source },
      { timeoutMs: 2000, onProgress: (line) => lines.push(line) },
    );
    assert.equal(result.commit, 'a'.repeat(40));
    assert.deepEqual(lines, ['building app']);

    await assert.rejects(
      icp.request('deploy', { deploymentId, repo: 'broken', ...source }, { timeoutMs: 2000 }),
      {
        code: 'command_failed',
        message: 'compose failed: no such service',
      },
    );
    icp.stop();
    await until(() => !server.hasSession);
  });

  it('answers unknown commands, bad data and malformed frames with error frames and stays up', async () => {
    const ws = rawSocket(manager);
    const replies: { id: string | null; command: string; data: { code: string } }[] = [];
    ws.on('message', (raw) => replies.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ id: '1', command: 'rm-rf', data: {} }));
    ws.send(JSON.stringify({ id: '2', command: 'deploy', data: { repo: 42 } }));
    ws.send('{not json');
    ws.send(JSON.stringify({ command: 'health' }));
    ws.send(JSON.stringify({ id: '3', command: 'health', data: {} }));
    await until(() => replies.length === 5);
    const byId = (id: string | null) => replies.filter((reply) => reply.id === id);
    assert.equal(byId('1')[0].data.code, 'unknown_command');
    assert.equal(byId('2')[0].data.code, 'invalid_data');
    assert.deepEqual(
      byId(null).map((reply) => reply.data.code),
      ['malformed_frame', 'malformed_frame'],
    );
    assert.equal(byId('3')[0].command, 'reply');
    ws.close();
    await until(() => !server.hasSession);
  });

  it('refuses a client whose certificate is not pinned before any session exists', async () => {
    const ws = rawSocket(stranger);
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('an unpinned client got a session')));
    });
    assert.equal(status, 403);
    ws.once('error', () => undefined); // aborting a refused handshake reports an error we expect
    ws.terminate();
  });

  it('refuses to talk to a server whose key is not the pinned one', async () => {
    const icp = client(manager, stranger.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(icp.connected, false);
    await assert.rejects(icp.request('health', {}, { timeoutMs: 500 }), (error: IcpError) => {
      assert.equal(error.code, 'unavailable');
      return true;
    });
    icp.stop();
  });

  it('serves one session at a time: a second one is closed with the busy code', async () => {
    const first = client(manager);
    await until(() => first.connected);
    const second = rawSocket(manager);
    const code = await new Promise<number>((resolve) =>
      second.once('close', (closeCode) => resolve(closeCode)),
    );
    assert.equal(code, IcpCloseCode.Busy);
    assert.deepEqual(await first.request('health', {}, { timeoutMs: 2000 }), {
      service: 'worker',
      version: 'test',
    });
    first.stop();
  });

  it('refuses TLS versions below 1.3', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}`, {
      key: manager.key,
      cert: manager.cert,
      rejectUnauthorized: false,
      maxVersion: 'TLSv1.2',
    });
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    assert.match(error.message, /protocol version|alert/i);
  });
});
