import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort } from './support/ports';

/**
 * The set-up steps of scripts/lib.sh, as scripts/up.sh and scripts/test.sh run them (`set -euo pipefail`): each
 * one, with what it makes removed, must make it again on its next run; each one that fails must say what failed
 * and name its log. What other test files share (the LXD image, the base image) is removed and rebuilt for real,
 * which is why this suite runs alone, before the others (scripts/test.sh). LXD's bridge, pool and profile and the
 * database server get names and directories of this test's own.
 */
const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const LXD_IMAGE = 'testausdeploy/bookworm';
const BASE_IMAGE = 'testausdeploy/busybox:latest';

interface StepResult {
  status: number;
  stderr: string;
}

/** Runs lib.sh's function `step` in a fresh bash as the scripts do, with `env` on top of this process's. */
function step(name: string, env: Record<string, string>, ...args: string[]): Promise<StepResult> {
  const script = `set -euo pipefail; source "${ROOT}/scripts/lib.sh"; "$@"`;
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', script, 'td-step', name, ...args],
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ status, stderr });
      },
    );
  });
}

async function succeeds(name: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  const result = await step(name, env, ...args);
  assert.equal(result.status, 0, `${name} failed:\n${result.stderr}`);
  return result.stderr;
}

async function output(command: string, ...args: string[]): Promise<string> {
  return (await run(command, args)).stdout.trim();
}

/** The first line of `stderr` that says a step failed, and the log file it names. */
function failure(stderr: string): { line: string; log: string } {
  const line = stderr.split('\n').find((text) => /error: .* failed \(whole log: /.test(text));
  assert.ok(line, `no line names the failed step and its log:\n${stderr}`);
  return { line, log: /\(whole log: (\S+)\)/.exec(line)![1] };
}

describe('provisioning: each set-up step makes again what is missing, and says why when it fails', () => {
  let scratch: string;
  let logs: Record<string, string>;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'td-provision-'));
    logs = { TD_LOG_DIR: join(scratch, 'log'), TD_RUN_DIR: join(scratch, 'run') };
  });

  after(() => rm(scratch, { recursive: true, force: true }));

  it('builds the members LXD image again when there is none (every first run)', async () => {
    await run('lxc', ['image', 'delete', LXD_IMAGE]).catch(() => undefined);
    const stderr = await succeeds('ensure_lxd_image', logs);
    assert.match(stderr, /building the LXD image testausdeploy\/bookworm/);
    const hash = (await output('sha256sum', join(ROOT, 'scripts/lxd-image.sh'))).slice(0, 16);
    assert.equal(await output('lxc', 'image', 'get-property', LXD_IMAGE, 'testausdeploy.recipe'), hash);
    assert.equal(await succeeds('ensure_lxd_image', logs), '', 'a second run has nothing to do');
  });

  it('imports the base Docker image again when it is missing or was made by hand', async () => {
    await run('docker', ['image', 'rm', '--force', BASE_IMAGE]).catch(() => undefined);
    assert.match(await succeeds('ensure_base_image', logs), /importing testausdeploy\/busybox/);
    const label = () =>
      output(
        'docker',
        'image',
        'inspect',
        '-f',
        '{{index .Config.Labels "org.testausdeploy.base-image"}}',
        BASE_IMAGE,
      );
    assert.equal(await label(), '1');
    assert.equal(await succeeds('ensure_base_image', logs), '');

    // An image of that name without the label (made by hand, or by an older version) is replaced.
    await run('bash', ['-c', `tar -cf - --files-from /dev/null | docker import - ${BASE_IMAGE}`]);
    assert.equal(await label(), '');
    assert.match(await succeeds('ensure_base_image', logs), /importing/);
    assert.equal(await label(), '1');

    // One built FROM it and tagged over it keeps its label but not its one layer: it is replaced too.
    await run('bash', [
      '-c',
      `printf 'FROM ${BASE_IMAGE}\\nRUN echo poisoned > /poisoned\\n' | docker build -q -t ${BASE_IMAGE} -`,
    ]);
    assert.equal(await label(), '1');
    assert.match(await succeeds('ensure_base_image', logs), /importing/);
    const layers = await output('docker', 'image', 'inspect', '-f', '{{len .RootFS.Layers}}', BASE_IMAGE);
    assert.equal(layers, '1');
  });

  it('builds the database server into an empty directory, starts it, and builds nothing the second time', async () => {
    const source = join(scratch, 'mongo-server-src');
    await cp(join(ROOT, 'tools', 'mongo-server'), source, { recursive: true });
    const env = { ...logs, TD_MONGO_SERVER_DIR: join(scratch, 'mongo-server'), TD_MONGO_SERVER_SRC: source };
    const port = String(await freePort());
    try {
      assert.match(
        await succeeds('ensure_mongo_server', env, port, 'memory'),
        /building the MongoDB-wire server/,
      );
      const again = await succeeds('ensure_mongo_server', env, port, 'memory');
      assert.doesNotMatch(again, /building|starting/);
      assert.equal((await step('mongo_ping', env, '127.0.0.1', port)).status, 0);
      // A changed source is built even while a server from the old build answers, which keeps answering.
      await writeFile(join(source, 'Changed.java'), 'class Changed {}\n');
      const rebuilt = await succeeds('ensure_mongo_server', env, port, 'memory');
      assert.match(rebuilt, /building the MongoDB-wire server/);
      assert.doesNotMatch(rebuilt, /starting/);
      assert.equal((await step('mongo_ping', env, '127.0.0.1', port)).status, 0);
    } finally {
      await step('stop_pidfile', env, join(logs.TD_RUN_DIR, `mongo-${port}.pid`), 'MongoWireServer');
    }
  });

  it('builds compose v2 from its Go module into an empty directory, and says why where Go cannot', async () => {
    const env = { ...logs, TD_COMPOSE_V2_DIR: join(scratch, 'compose-v2') };
    const report = 'ensure_compose_v2; echo "compose v2: ${TD_COMPOSE_V2:-none}" >&2';
    // Without Go on the PATH (as on a Debian 12 machine without one), the step goes on without compose v2.
    const withoutGo = await succeeds('eval', { ...env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, report);
    assert.match(withoutGo, /compose v2 is not built: it needs Go 1\.21 or newer/);
    assert.match(withoutGo, /compose v2: none/);
    const stderr = await succeeds('eval', env, report);
    const binary = /compose v2: (\S+)/.exec(stderr)?.[1] ?? '';
    assert.match(stderr, /building compose v2\.\d+\.\d+ from its Go module/);
    assert.match(await output(binary, 'version'), /Docker Compose version v2\./);
    assert.doesNotMatch(await succeeds('eval', env, report), /building/);
  });

  it('builds Caddy with the DNS provider, the DNS stand-in and pebble into an empty directory, nothing the second time, and says why where Go cannot', async () => {
    const env = { ...logs, TD_CADDY_DNS_DIR: join(scratch, 'caddy-dns') };
    const report = 'ensure_caddy_dns; echo "caddy-dns: ${TD_CADDY_DNS:-none}" >&2';
    // Without Go on the PATH (as on a Debian 12 machine without one), the step goes on without them.
    const withoutGo = await succeeds('eval', { ...env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, report);
    assert.match(withoutGo, /tools\/caddy-dns\) is not built: it needs Go 1\.21 or newer/);
    assert.match(withoutGo, /caddy-dns: none/);
    const stderr = await succeeds('eval', env, report);
    assert.match(stderr, /building Caddy with the rfc2136 DNS provider/);
    const dir = /caddy-dns: (\S+)/.exec(stderr)?.[1] ?? '';
    assert.match(await output(join(dir, 'caddy'), 'list-modules'), /^dns\.providers\.rfc2136$/m);
    await stat(join(dir, 'dns-standin'));
    await stat(join(dir, 'pebble'));
    assert.match(await readFile(join(dir, 'pebble-ca.pem'), 'utf8'), /BEGIN CERTIFICATE/);
    assert.doesNotMatch(await succeeds('eval', env, report), /building/);
  });

  it('serves one Chromium to the browser tests, its address readable by root alone, and starts nothing the second time', async () => {
    const file = join(scratch, 'test-browser.endpoint');
    const pidfile = join(logs.TD_RUN_DIR, 'test-browser.pid');
    try {
      assert.match(await succeeds('ensure_test_browser', logs, file), /starting the tests' browser/);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const endpoint = (await readFile(file, 'utf8')).trim();
      // Its key is the unguessable path: the port alone does not open it.
      assert.match(endpoint, /^ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{16,}$/);
      const browser = await chromium.connect(endpoint);
      const page = await (await browser.newContext()).newPage();
      assert.equal(await page.evaluate('1 + 1'), 2);
      await browser.close();
      assert.doesNotMatch(await succeeds('ensure_test_browser', logs, file), /starting/);
      const guessed = await chromium.connect(new URL('/', endpoint).href, { timeout: 5000 }).then(
        (other) => other.close().then(() => 'connected'),
        () => 'refused',
      );
      assert.equal(guessed, 'refused');
    } finally {
      await step('stop_pidfile', logs, pidfile, 'browser-server.js');
    }
    await assert.rejects(stat(file), /ENOENT/, 'the address goes with the server');
  });

  it('installs schemathesis into an empty directory, and nothing the second time', async () => {
    const env = { ...logs, TD_SCHEMATHESIS_DIR: join(scratch, 'schemathesis') };
    const report = 'ensure_schemathesis; echo "schemathesis: $TD_SCHEMATHESIS" >&2';
    const stderr = await succeeds('eval', env, report);
    assert.match(stderr, /installing schemathesis \d+\.\d+\.\d+/);
    const binary = /schemathesis: (\S+)/.exec(stderr)?.[1] ?? '';
    assert.match(await output(binary, '--version'), /version \d+\.\d+\.\d+/);
    assert.doesNotMatch(await succeeds('eval', env, report), /installing/);
  });

  describe("LXD's bridge, storage pool and profile (of this test's own names)", () => {
    const suffix = randomBytes(2).toString('hex');
    const names = {
      TD_LXD_BRIDGE: `tdprov${suffix}`,
      TD_LXD_POOL: `tdprov${suffix}`,
      TD_LXD_PROFILE: `td-provision-${suffix}`,
      TD_LXD_POOL_SIZE: '1GiB',
    };
    const lxc = (...args: string[]) => output('lxc', ...args);
    const device = (name: string, key: string) =>
      lxc('profile', 'device', 'get', names.TD_LXD_PROFILE, name, key).catch(() => '');

    after(async () => {
      await run('lxc', ['profile', 'delete', names.TD_LXD_PROFILE]).catch(() => undefined);
      await run('lxc', ['storage', 'delete', names.TD_LXD_POOL]).catch(() => undefined);
      await run('lxc', ['network', 'delete', names.TD_LXD_BRIDGE]).catch(() => undefined);
    });

    const ensure = async () => succeeds('ensure_lxd', { ...logs, ...names });
    const plugged = async () => {
      assert.equal(await device('root', 'pool'), names.TD_LXD_POOL);
      assert.equal(await device('eth0', 'network'), names.TD_LXD_BRIDGE);
      assert.equal(await lxc('storage', 'get', names.TD_LXD_POOL, 'size'), '1GiB');
      assert.match(await lxc('network', 'get', names.TD_LXD_BRIDGE, 'ipv4.address'), /^10\.\d+\.0\.1\/24$/);
    };

    it('makes all three on a daemon that has none of them, and nothing on the next run', async () => {
      const stderr = await ensure();
      assert.match(stderr, new RegExp(`bridge ${names.TD_LXD_BRIDGE}`));
      assert.match(stderr, new RegExp(`storage pool ${names.TD_LXD_POOL}`));
      await plugged();
      assert.equal(await ensure(), '');
    });

    it('plugs a profile in again whose devices were removed', async () => {
      await lxc('profile', 'device', 'remove', names.TD_LXD_PROFILE, 'eth0');
      await lxc('profile', 'device', 'remove', names.TD_LXD_PROFILE, 'root');
      await ensure();
      await plugged();
    });

    it('makes the bridge again when it was deleted', async () => {
      await lxc('profile', 'device', 'remove', names.TD_LXD_PROFILE, 'eth0');
      await lxc('network', 'delete', names.TD_LXD_BRIDGE);
      assert.match(await ensure(), /bridge/);
      await plugged();
    });

    it('makes the storage pool again when it was deleted', async () => {
      await lxc('profile', 'device', 'remove', names.TD_LXD_PROFILE, 'root');
      await lxc('storage', 'delete', names.TD_LXD_POOL);
      assert.match(await ensure(), /storage pool/);
      await plugged();
    });

    it('leaves an eth0 that points elsewhere alone, and says so', async () => {
      await lxc('profile', 'device', 'set', names.TD_LXD_PROFILE, 'eth0', 'network=tdbr0');
      assert.match(
        await ensure(),
        new RegExp(`warning: profile ${names.TD_LXD_PROFILE} plugs eth0 into tdbr0`),
      );
      assert.equal(await device('eth0', 'network'), 'tdbr0');
    });
  });

  describe('a step that fails', () => {
    it('names the database server build that failed and its log, with the compiler saying why', async () => {
      const source = join(scratch, 'broken-source');
      await cp(join(ROOT, 'tools/mongo-server'), source, { recursive: true });
      await writeFile(join(source, 'MongoWireServer.java'), 'class MongoWireServer { this is not Java }\n');
      const env = {
        ...logs,
        TD_MONGO_SERVER_SRC: source,
        TD_MONGO_SERVER_DIR: join(scratch, 'broken-build'),
      };
      const result = await step('build_mongo_server', env);
      assert.notEqual(result.status, 0);
      const { line, log } = failure(result.stderr);
      assert.match(line, /compiling MongoWireServer\.java failed/);
      assert.equal(log, join(logs.TD_LOG_DIR, 'mongo-server-build.log'));
      assert.match((await readFile(log)).toString(), /MongoWireServer\.java:1: error/);
      assert.match(result.stderr, /MongoWireServer\.java:1: error/, 'the end of the log is shown too');
    });

    it('names the base image import that failed and its log, with Docker saying why', async () => {
      const result = await step('ensure_base_image', {
        ...logs,
        DOCKER_HOST: `unix://${scratch}/no-docker.sock`,
      });
      assert.notEqual(result.status, 0);
      const { line, log } = failure(result.stderr);
      assert.match(line, /importing testausdeploy\/busybox:latest failed/);
      assert.match((await readFile(log)).toString(), /Cannot connect to the Docker daemon/);
    });

    it('says that LXD does not answer instead of building an image', async () => {
      const result = await step('ensure_lxd_image', { ...logs, TD_LXD_SOCKET: join(scratch, 'no-lxd.sock') });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /error: LXD does not answer on .*no-lxd\.sock/);
    });

    it('never stops silently: an unexpected failure is named with its command, file and line', async () => {
      // The very pattern that once ended up.sh without a word on every first run.
      const result = await step('eval', logs, 'v="$(lxc image show td-no-such-image 2>/dev/null | cat)"');
      assert.notEqual(result.status, 0);
      assert.match(
        result.stderr,
        /error: `v="\$\(lxc image show td-no-such-image .*` failed with exit code 1/,
      );
    });
  });
});
