import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LxdOperations } from './lxd-operations';
import { LxdSocket } from './lxd-socket';

// What a fake LXD answers, by request path: [HTTP status, body].
const answers: Record<string, [number, string]> = {};
const operation = (status_code: number, status: string, err = '') =>
  JSON.stringify({
    type: 'sync',
    status_code: 200,
    error_code: 0,
    error: '',
    metadata: { id: 'op1', class: 'task', description: 'Creating instance', status, status_code, err },
  });

describe('LxdOperations and LxdSocket against a fake LXD', () => {
  let dir: string;
  let server: http.Server;
  let operations: LxdOperations;
  let socket: LxdSocket;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-fake-lxd-'));
    server = http.createServer((req, res) => {
      const [status, body] = answers[req.url ?? ''] ?? [
        404,
        '{"type":"error","error_code":404,"error":"not found"}',
      ];
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'unix.socket'), resolve));
    socket = new LxdSocket(path.join(dir, 'unix.socket'));
    operations = new LxdOperations(socket);
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('returns the metadata of an operation that succeeded', async () => {
    answers['/1.0/instances'] = [202, JSON.stringify({ type: 'async', metadata: { id: 'op1' } })];
    answers['/1.0/operations/op1/wait?timeout=5'] = [200, operation(200, 'Success')];
    assert.equal(await operations.run({ method: 'POST', path: '/1.0/instances', json: {} }, 5), undefined);
  });

  it('fails with the operation error and its status code', async () => {
    answers['/1.0/operations/op1/wait?timeout=5'] = [200, operation(401, 'Cancelled', 'Operation cancelled')];
    await assert.rejects(operations.run({ method: 'POST', path: '/1.0/instances', json: {} }, 5), {
      name: 'LxdError',
      message: 'Operation cancelled',
      status: 401,
      operationId: 'op1',
    });
  });

  it('fails with 504 when the operation is still running after the wait', async () => {
    answers['/1.0/operations/op1/wait?timeout=5'] = [200, operation(103, 'Running')];
    await assert.rejects(operations.wait('op1', 5), {
      name: 'LxdError',
      status: 504,
      message: 'Creating instance did not finish within 5s',
    });
  });

  it('passes on an error that is not in LXD envelope', async () => {
    answers['/1.0/broken'] = [500, 'internal trouble\n'];
    await assert.rejects(socket.sync({ path: '/1.0/broken' }), {
      name: 'LxdError',
      message: 'internal trouble',
      status: 500,
    });
  });
});
