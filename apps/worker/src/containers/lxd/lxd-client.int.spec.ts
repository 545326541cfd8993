import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeInstances } from '../../../../../test/support/lxd-instances';
import { LxdClient } from './lxd-client';
import { LxdError } from './lxd-error';

// Built and imported by ensure_lxd_image (scripts/lib.sh), which scripts/test.sh runs.
const IMAGE = 'testausdeploy/bookworm';

describe('LxdClient against LXD', () => {
  const lxd = new LxdClient(process.env.LXD_SOCKET);
  // Instances of this run share the prefix, so the clean-up finds them all and runs do not collide.
  const prefix = `td-int-${randomBytes(3).toString('hex')}`;
  const name = `${prefix}-a`;
  const copy = `${prefix}-b`;
  let tmp: string;
  let address: string;

  before(
    async () => {
      await lxd.images.byAlias(IMAGE).catch((err: unknown) => {
        throw new Error(
          `LXD or the image ${IMAGE} is missing (${String(err)}): run ensure_lxd and ensure_lxd_image`,
        );
      });
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'td-lxd-'));
    },
    { timeout: 30_000 },
  );

  after(
    async () => {
      await removeInstances(lxd, prefix);
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  it('creates a container with limits from the image and starts it', { timeout: 60_000 }, async () => {
    await lxd.instances.create({
      name,
      image: IMAGE,
      config: { 'limits.cpu': '1', 'limits.memory': '256MiB', 'limits.processes': '500' },
    });
    const created = await lxd.instances.get(name);
    assert.equal(created.status, 'Stopped');
    assert.equal(created.config['limits.memory'], '256MiB');

    await lxd.instances.start(name);
    address = await lxd.state.waitForIpv4(name);
    assert.match(address, /^\d+\.\d+\.\d+\.\d+$/);
    const state = await lxd.state.get(name);
    assert.equal(state.running, true);
    assert.deepEqual(state.ipv4, [address]);
    assert.ok(state.memoryBytes > 0 && state.processes > 0, `no resource use in ${JSON.stringify(state)}`);
  });

  it('runs commands and returns their exit code, stdout and stderr', { timeout: 30_000 }, async () => {
    const result = await lxd.exec.run(name, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(result, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    // The image's templates name the host after the instance; limits.cpu pins it to one CPU.
    const { stdout } = await lxd.exec.run(name, ['sh', '-c', 'hostname; nproc; id -un'], {
      env: { TD: 'x' },
    });
    assert.equal(stdout, `${name}\n1\nroot\n`);
    const logs = await lxd.socket.sync<string[]>({ path: `/1.0/instances/${name}/logs` });
    assert.deepEqual(
      logs.filter((log) => log.includes('exec_')),
      [],
      'exec output logs were left behind',
    );
  });

  it(
    'reads back from inside a container only what is bounded: no output it did not ask for, no giant file',
    { timeout: 60_000 },
    async () => {
      const logs = async () =>
        (await lxd.socket.sync<string[]>({ path: `/1.0/instances/${name}/logs` })).filter((log) =>
          log.includes('exec_'),
        );
      // Without recording, what is printed inside never reaches the host's disk or the Worker.
      const quiet = await lxd.exec.run(name, ['sh', '-c', 'head -c 50000000 /dev/zero; exit 4'], {
        record: false,
      });
      assert.deepEqual(quiet, { exitCode: 4, stdout: '', stderr: '' });
      assert.deepEqual(await logs(), []);
      // Recorded output is read to 1 MiB at most, and its log is removed all the same.
      await assert.rejects(lxd.exec.run(name, ['sh', '-c', 'head -c 5000000 /dev/zero']), { status: 413 });
      assert.deepEqual(await logs(), []);
      // A sparse 100 GB file is refused after the bytes asked for, not read.
      await lxd.exec.run(name, ['truncate', '-s', '100G', '/root/huge']);
      const rss = process.memoryUsage().rss;
      await assert.rejects(lxd.files.pull(name, '/root/huge', 64 * 1024), { name: 'LxdError', status: 413 });
      assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024);
      await lxd.exec.run(name, ['rm', '/root/huge']);
    },
  );

  it('pushes a file with owner and mode and reads it back', { timeout: 30_000 }, async () => {
    await lxd.files.mkdir(name, '/srv/member', { uid: 1000, gid: 1000, mode: 0o750 });
    await lxd.files.push(name, '/srv/member/hello.txt', 'hello\n', { uid: 1000, gid: 1000, mode: 0o600 });
    assert.equal((await lxd.files.pull(name, '/srv/member/hello.txt', 1024)).toString(), 'hello\n');
    const { stdout } = await lxd.exec.run(name, [
      'stat',
      '-c',
      '%u:%g %a',
      '/srv/member',
      '/srv/member/hello.txt',
    ]);
    assert.equal(stdout, '1000:1000 750\n1000:1000 600\n');
  });

  it('restores a snapshot: a file written after it is gone', { timeout: 60_000 }, async () => {
    await lxd.snapshots.create(name, 'snap0');
    await lxd.files.push(name, '/root/after.txt', 'later\n');
    assert.deepEqual(
      (await lxd.snapshots.list(name)).map((s) => s.name),
      ['snap0'],
    );

    await lxd.snapshots.restore(name, 'snap0');
    await assert.rejects(lxd.files.pull(name, '/root/after.txt', 1024), { name: 'LxdError', status: 404 });
    assert.equal((await lxd.files.pull(name, '/srv/member/hello.txt', 1024)).toString(), 'hello\n');
    assert.equal((await lxd.state.get(name)).running, true);

    await lxd.snapshots.delete(name, 'snap0');
    assert.deepEqual(await lxd.snapshots.list(name), []);
  });

  it(
    'exports a backup to a file and imports it as a new container that boots',
    { timeout: 90_000 },
    async () => {
      await lxd.backups.create(name, 'b0');
      const file = path.join(tmp, 'b0.tar');
      let progress = 0;
      const bytes = await lxd.backups.exportToFile(name, 'b0', file, (n) => {
        progress = n;
      });
      assert.ok(bytes > 10_000_000, `backup of ${bytes} bytes is too small`);
      assert.equal(progress, bytes);
      assert.equal((await fs.stat(file)).size, bytes);
      // A watcher that refuses stops the export there, and no partial file is left.
      const cut = path.join(tmp, 'cut.tar');
      await assert.rejects(
        lxd.backups.exportToFile(name, 'b0', cut, (written) => {
          if (written > 1024 * 1024) throw new Error('past the quota');
        }),
        /past the quota/,
      );
      await assert.rejects(fs.stat(cut), { code: 'ENOENT' });
      await lxd.backups.delete(name, 'b0');
      assert.deepEqual(await lxd.backups.list(name), []);

      await lxd.backups.importFromFile(file, copy);
      const imported = await lxd.instances.get(copy);
      assert.equal(imported.config['volatile.eth0.hwaddr'], undefined);
      await lxd.instances.start(copy);
      const copyAddress = await lxd.state.waitForIpv4(copy);
      assert.notEqual(copyAddress, address);
      const [original, restored] = await Promise.all([lxd.state.raw(name), lxd.state.raw(copy)]);
      assert.notEqual(restored.network?.eth0.hwaddr, original.network?.eth0.hwaddr);
      const { stdout } = await lxd.exec.run(copy, ['sh', '-c', 'hostname; cat /srv/member/hello.txt']);
      assert.equal(stdout, `${copy}\nhello\n`);
    },
  );

  it('stops and deletes a container', { timeout: 60_000 }, async () => {
    await lxd.instances.stop(copy, { force: true });
    assert.equal((await lxd.state.get(copy)).status, 'Stopped');
    await lxd.instances.delete(copy);
    await assert.rejects(lxd.instances.get(copy), { name: 'LxdError', status: 404 });
  });

  describe('errors carry LXD message and status', () => {
    it('an unknown image', async () => {
      await assert.rejects(lxd.instances.create({ name: `${prefix}-x`, image: 'testausdeploy/none' }), {
        name: 'LxdError',
        status: 404,
        message: /Image alias not found/i,
      });
    });

    it('a name that is taken (reported by the finished operation)', { timeout: 30_000 }, async () => {
      await assert.rejects(lxd.instances.create({ name, image: IMAGE }), (err: unknown) => {
        assert.ok(err instanceof LxdError);
        assert.equal(err.status, 400);
        assert.match(err.message, /already exists/);
        assert.ok(err.operationId, 'the error does not name its operation');
        return true;
      });
    });

    it('an invalid name', async () => {
      await assert.rejects(lxd.instances.create({ name: 'Not_valid!', image: IMAGE }), {
        name: 'LxdError',
        status: 400,
        message: /Invalid instance name/,
      });
    });

    it('an unknown instance', async () => {
      const none = `${prefix}-none`;
      for (const call of [
        () => lxd.instances.get(none),
        () => lxd.state.get(none),
        () => lxd.instances.start(none),
        () => lxd.snapshots.create(none, 's'),
      ]) {
        await assert.rejects(call(), { name: 'LxdError', status: 404, message: /not found/i });
      }
    });

    it('an unreachable socket', async () => {
      const nowhere = new LxdClient(path.join(os.tmpdir(), 'td-no-lxd.socket'));
      await assert.rejects(nowhere.instances.list(), {
        name: 'LxdError',
        status: 503,
        message: /not reachable/,
      });
    });
  });
});
