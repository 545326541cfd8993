import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import Dockerode from 'dockerode';
import { composeCli, projectAt } from '../../../../test/support/compose';
import { ComposeError, composeProjectName, type ComposeProject } from './compose-cli';
import { MAX_LINE_BYTES } from './line-assembler';
import { ProjectContainers } from './project-containers';

const BASE_IMAGE = 'testausdeploy/busybox:latest';
// Stands for a secret in the worker's environment that a user's compose file tries to interpolate.
const WORKER_SECRET = 'TD_INT_WORKER_SECRET';
process.env[WORKER_SECRET] = 'leaked';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function fetchWhenUp(url: string, deadlineMs = 15_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer with 200 in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('ComposeCli and ProjectContainers against dockerd', () => {
  const docker = new Dockerode();
  const cli = composeCli();
  const containers = new ProjectContainers(docker);
  const suffix = randomBytes(4).toString('hex');
  const image = `td-int-web-${suffix}:latest`;
  const body = `hello from ${suffix}\n`;
  let root: string;
  let port: number;
  let web: ComposeProject;
  let broken: ComposeProject;

  before(
    async () => {
      await docker.ping().catch((err: unknown) => {
        throw new Error(`dockerd is not reachable (${String(err)}): start it before the integration suite`);
      });
      await docker
        .getImage(BASE_IMAGE)
        .inspect()
        .catch(() => {
          throw new Error(
            `base image ${BASE_IMAGE} is missing: docker import a busybox rootfs under that name`,
          );
        });

      root = await fs.mkdtemp(path.join(os.tmpdir(), 'td-compose-'));
      port = await freePort();

      const webDir = path.join(root, 'web', 'deploy');
      await fs.mkdir(webDir, { recursive: true });
      await fs.writeFile(path.join(webDir, 'index.html'), body);
      await fs.writeFile(
        path.join(webDir, 'Dockerfile'),
        `FROM ${BASE_IMAGE}\nCOPY index.html /www/index.html\nCMD ["httpd","-f","-p","8080","-h","/www"]\n`,
      );
      // deploy.resources is what compose v1 drops without --compatibility: the memory check below relies on it.
      await fs.writeFile(
        path.join(webDir, 'compose.yml'),
        [
          'services:',
          '  web:',
          '    build: .',
          `    image: ${image}`,
          '    ports:',
          `      - "127.0.0.1:${port}:8080"`,
          '    environment:',
          `      - SEEN=\${${WORKER_SECRET}:-nothing}`,
          '    deploy:',
          '      resources:',
          '        limits:',
          '          memory: 64M',
          '',
        ].join('\n'),
      );
      web = await projectAt(composeProjectName('int', `web-${suffix}`), path.join(webDir, 'compose.yml'));

      const brokenDir = path.join(root, 'broken');
      await fs.mkdir(brokenDir);
      await fs.writeFile(
        path.join(brokenDir, 'compose.yml'),
        [
          'services:',
          '  app:',
          '    build: ./missing-context',
          `    image: td-int-broken-${suffix}:latest`,
          '',
        ].join('\n'),
      );
      broken = await projectAt(
        composeProjectName('int', `broken-${suffix}`),
        path.join(brokenDir, 'compose.yml'),
      );
    },
    { timeout: 30_000 },
  );

  after(
    async () => {
      for (const project of [web, broken]) {
        if (project) await cli.remove(project, true).catch(() => undefined);
      }
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
      if (root) await fs.rm(root, { recursive: true, force: true });
      delete process.env[WORKER_SECRET];
    },
    { timeout: 60_000 },
  );

  it('picks docker compose v2 when it works, else docker-compose', async () => {
    const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
    assert.deepEqual(await cli.command(), v2 ? ['docker', 'compose'] : ['docker-compose']);
  });

  it('brings a project up, lists its container and serves the page', { timeout: 180_000 }, async () => {
    const lines: string[] = [];
    await cli.up(web, (line) => lines.push(line));
    assert.ok(lines.length > 0, 'compose printed no output');

    const list = await containers.list(web.name);
    assert.equal(list.length, 1);
    assert.equal(list[0].service, 'web');
    assert.equal(list[0].state, 'running');
    assert.ok(list[0].name.includes('web'), `container name ${list[0].name} does not contain "web"`);
    const published = { ip: '127.0.0.1', privatePort: 8080, publicPort: port, protocol: 'tcp' };
    assert.ok(
      list[0].ports.some((p) => isDeepStrictEqual(p, published)),
      `ports ${JSON.stringify(list[0].ports)} lack ${JSON.stringify(published)}`,
    );

    assert.equal(await fetchWhenUp(`http://127.0.0.1:${port}/`), body);

    const inspect = await docker.getContainer(list[0].id).inspect();
    assert.equal(inspect.HostConfig.Memory, 64 * 1024 * 1024);
    assert.ok(
      inspect.Config.Env.includes('SEEN=nothing'),
      `env ${JSON.stringify(inspect.Config.Env)} lacks SEEN=nothing`,
    );
  });

  it('lists nothing for an unknown project', async () => {
    assert.deepEqual(await containers.list(`td_int_none-${suffix}`), []);
  });

  it(
    'rejects a broken project with a fixed summary, its output streamed and kept apart',
    { timeout: 60_000 },
    async () => {
      const lines: string[] = [];
      const err: unknown = await cli
        .up(broken, (line) => lines.push(line))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
      // A reason is recorded for good: it says which command failed and how, never what the build printed.
      assert.match(
        err.reason,
        /^docker-compose up for td_int_broken-\w+ failed \(exit code \d+\): its output is in the deployment's logs$/,
      );
      assert.notEqual(err.exitCode, 0);
      assert.ok(
        err.output.some((line) => line.includes('missing-context')),
        err.output.join('\n'),
      );
      assert.ok(
        lines.some((line) => line.includes('missing-context')),
        'the output was streamed',
      );
      assert.deepEqual(await containers.list(broken.name), []);
    },
  );

  it(
    'keeps every line of a build that prints a 2 MB line and 600 MB without a newline bounded',
    { timeout: 180_000 },
    async () => {
      const dir = path.join(root, 'loud');
      await fs.mkdir(dir);
      await fs.writeFile(
        path.join(dir, 'Dockerfile'),
        `FROM ${BASE_IMAGE}\nRUN head -c 2097152 /dev/zero | tr '\\000' x && echo\nRUN head -c 600000000 /dev/zero | tr '\\000' y && false\n`,
      );
      await fs.writeFile(path.join(dir, 'compose.yml'), 'services:\n  app:\n    build: .\n');
      const loud = await projectAt(
        composeProjectName('int', `loud-${suffix}`),
        path.join(dir, 'compose.yml'),
      );
      let longest = 0;
      let count = 0;
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const error = await cli
        .up(loud, (line) => {
          count++;
          longest = Math.max(longest, Buffer.byteLength(line));
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof ComposeError, String(error));
      assert.ok(longest <= MAX_LINE_BYTES + 64, `a line of ${longest} bytes`);
      assert.ok(count < 1000, `${count} lines`);
      assert.ok(rssPeak - rssBefore < 128 * 1024 * 1024, `the Worker grew by ${rssPeak - rssBefore} bytes`);
      assert.ok(
        error.output.some((line) => /^y+… \(\d+ more bytes\)$/.test(line)),
        'the long line ends saying how much was left out',
      );
      await cli.remove(loud, true).catch(() => undefined);
    },
  );

  it('rejects a compose file that does not exist', async () => {
    const err: unknown = await cli.up({ ...broken, file: path.join(root, 'nope', 'compose.yml') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    assert.match(err.reason, /compose file .*nope.* does not exist/);
  });

  it('takes the project down, leaving no containers', { timeout: 60_000 }, async () => {
    await cli.remove(web, false);
    assert.deepEqual(await containers.list(web.name), []);
  });
});
