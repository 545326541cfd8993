import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IcpFixture, until } from '../../../test/support/icp';
import { IcpCloseCode, IcpError, MAX_FRAME_BYTES, MAX_PROGRESS_LINE } from './frames';
import { Identity, loadOrCreateIdentity, rotateIdentity } from './identity';
import { IcpServer } from './icp-server';

const source = { org: 'o', branch: 'main', composePath: 'compose.yml' };
const deploymentId = '6f1c4f7e-8a4b-4c1e-9a55-0d3c2b1a0f00';

describe('ICP over mutual TLS', () => {
  let icp: IcpFixture;
  let server: IcpServer;
  let port: number;
  let manager: Identity;
  let worker: Identity;
  let stranger: Identity;

  before(async () => {
    icp = await IcpFixture.create();
    [manager, worker, stranger] = await icp.identities('manager', 'worker', 'stranger');
    ({ server, port } = await icp.server(worker, () => [manager.fingerprint], {
      health: async () => ({ service: 'worker', version: 'test' }),
      deploy: async (data, context) => {
        context.progress(`building ${data.repo}`);
        if (data.repo === 'broken') throw new Error('compose failed: no such service');
        // A build printing one 2 MB line, and a handler whose reply would not fit a frame.
        if (data.repo === 'loud') context.progress('x'.repeat(2 * 1024 * 1024));
        if (data.repo === 'huge') throw new Error('y'.repeat(2 * 1024 * 1024));
        return {
          commit: 'a'.repeat(40),
          composeDigest: `sha256:${'b'.repeat(64)}`,
          containers: [],
          diskBytes: 0,
        };
      },
    }));
  });

  after(() => icp.cleanUp());

  it('keeps the identity private and stable across restarts', async () => {
    const again = await loadOrCreateIdentity(join(icp.dir, 'worker'), 'worker');
    assert.equal(again.fingerprint, worker.fingerprint);
    assert.equal((await stat(join(icp.dir, 'worker', 'icp-key.pem'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(icp.dir, 'worker'))).mode & 0o777, 0o700);
  });

  it('rotates a key: a new fingerprint, the old key gone, and a half-rotated pair refused with the reason', async () => {
    const dir = join(icp.dir, 'rotating');
    const first = await loadOrCreateIdentity(dir, 'rotating');
    const second = await rotateIdentity(dir, 'rotating');
    assert.notEqual(second.fingerprint, first.fingerprint);
    assert.notEqual(second.key, first.key);
    assert.equal((await stat(join(dir, 'icp-key.pem'))).mode & 0o777, 0o600);
    assert.equal((await loadOrCreateIdentity(dir, 'rotating')).fingerprint, second.fingerprint);
    await writeFile(join(dir, 'icp-cert.pem'), first.cert);
    await assert.rejects(loadOrCreateIdentity(dir, 'rotating'), /is not the key of .* run rotate-key/);
  });

  it('presents a reloaded key to new connections: the new pin connects, the old one is refused', async () => {
    const dir = join(icp.dir, 'reloading');
    const before = await loadOrCreateIdentity(dir, 'reloading');
    const { server: reloading, port: reloadingPort } = await icp.server(before, () => [manager.fingerprint], {
      health: async () => ({ service: 'worker', version: 'test' }),
    });
    const rotated = await rotateIdentity(dir, 'reloading');
    reloading.useIdentity(rotated);
    const current = icp.client(reloadingPort, manager, rotated.fingerprint);
    await until(() => current.connected);
    current.stop();
    const stale = icp.client(reloadingPort, manager, before.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(stale.connected, false);
    stale.stop();
  });

  it('serves the pinned Manager: replies, progress and command errors', async () => {
    const client = icp.client(port, manager, worker.fingerprint);
    await until(() => client.connected);
    assert.deepEqual(await client.request('health', {}, { timeoutMs: 2000 }), {
      service: 'worker',
      version: 'test',
    });
    const lines: string[] = [];
    const result = await client.request(
      'deploy',
      { deploymentId, repo: 'app', ...source },
      { timeoutMs: 2000, onProgress: (line) => lines.push(line) },
    );
    assert.equal(result.commit, 'a'.repeat(40));
    assert.deepEqual(lines, ['building app']);
    await assert.rejects(
      client.request(
        'deploy',
        { deploymentId: '6f1c4f7e-8a4b-4c1e-9a55-0d3c2b1a0f01', repo: 'broken', ...source },
        { timeoutMs: 2000 },
      ),
      { code: 'command_failed', message: 'compose failed: no such service' },
    );
    client.stop();
    await until(() => !server.hasSession);
  });

  it('answers unknown commands, bad data and malformed frames with error frames and stays up', async () => {
    const raw = icp.raw(port, manager);
    assert.equal((await raw.authenticate(manager.key)).command, 'reply');
    raw.send({ id: '1', command: 'rm-rf', data: {} });
    raw.send({ id: '2', command: 'deploy', data: { repo: 42 } });
    raw.send('{not json');
    raw.send({ command: 'health' });
    raw.send({ id: '3', command: 'health', data: {} });
    await raw.frame(6);
    const byId = (id: string | null) => raw.frames.slice(2).filter((reply) => reply.id === id);
    assert.equal((byId('1')[0].data as { code: string }).code, 'unknown_command');
    const invalid = byId('2')[0].data as { code: string; message: string };
    assert.equal(invalid.code, 'invalid_data');
    assert.match(invalid.message, /invalid data for "deploy" at deploymentId/);
    assert.deepEqual(
      byId(null).map((reply) => (reply.data as { code: string }).code),
      ['malformed_frame', 'malformed_frame'],
    );
    assert.equal(byId('3')[0].command, 'reply');
    raw.ws.close();
    await until(() => !server.hasSession);
  });

  it('never sends a frame over 1 MiB: a giant line is cut, a giant answer becomes an error, the session stays', async () => {
    const client = icp.client(port, manager, worker.fingerprint);
    await until(() => client.connected);
    // A frame over the limit would close the connection: the client would see it drop and come back.
    let dropped = false;
    const watch = setInterval(() => (dropped ||= !client.connected), 1);
    const lines: string[] = [];
    const result = await client.request(
      'deploy',
      { deploymentId, repo: 'loud', ...source },
      { timeoutMs: 5000, onProgress: (line) => lines.push(line) },
    );
    assert.equal(result.commit, 'a'.repeat(40));
    assert.equal(lines.length, 2);
    assert.ok(lines[1].length < MAX_PROGRESS_LINE + 100, `a line of ${lines[1].length} characters`);
    assert.match(lines[1], /^x+… \(2080768 more characters\)$/);
    await assert.rejects(
      client.request(
        'deploy',
        { deploymentId: '6f1c4f7e-8a4b-4c1e-9a55-0d3c2b1a0f02', repo: 'huge', ...source },
        { timeoutMs: 5000 },
      ),
      (error: IcpError) => {
        assert.equal(error.code, 'command_failed');
        assert.match(
          error.message,
          /^the error frame would be \d+ bytes, over the 1048576 a frame may hold$/,
        );
        return true;
      },
    );
    clearInterval(watch);
    assert.equal(dropped, false, 'the session carried on');
    client.stop();
    await until(() => !server.hasSession);
  });

  it('closes the session with 1009 on a frame over 1 MiB', async () => {
    const raw = icp.raw(port, manager);
    await raw.authenticate(manager.key);
    raw.send({ id: 'big', command: 'health', data: { pad: 'x'.repeat(MAX_FRAME_BYTES) } });
    assert.equal((await raw.waitClosed()).code, IcpCloseCode.TooLarge);
    await until(() => !server.hasSession);
  });

  it('refuses a client whose certificate is not pinned before any session exists', async () => {
    const raw = icp.raw(port, stranger);
    await raw.waitClosed();
    assert.equal(raw.refusedWith, 403);
    assert.equal(raw.frames.length, 0);
  });

  it('refuses to talk to a server whose key is not the pinned one', async () => {
    const client = icp.client(port, manager, stranger.fingerprint);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.connected, false);
    await assert.rejects(client.request('health', {}, { timeoutMs: 500 }), (error: IcpError) => {
      assert.equal(error.code, 'unavailable');
      return true;
    });
    client.stop();
  });

  it('refuses TLS versions below 1.3', async () => {
    const raw = icp.raw(port, manager, { maxVersion: 'TLSv1.2' });
    const error = await new Promise<Error>((resolve) => raw.ws.once('error', resolve));
    assert.match(error.message, /protocol version|alert/i);
  });
});
