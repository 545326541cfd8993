import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import * as projects from './support/benign-projects';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';

const run = promisify(execFile);
const ORG = 'e2e-org';

interface DeploymentView {
  id: string;
  status: 'requested' | 'succeeded' | 'failed';
  commit: string | null;
  reason: string | null;
}

interface ContainerUsage {
  name: string;
  service: string;
  state: string;
  status: string;
  ports: { ip?: string; privatePort: number; publicPort?: number }[];
  memoryLimitBytes: number | null;
}

interface Inspected {
  Config: { Labels: Record<string, string>; ExposedPorts?: Record<string, object> };
  HostConfig: {
    LogConfig: { Type: string; Config: Record<string, string> };
    RestartPolicy: { Name: string };
    NanoCpus: number;
    PidsLimit: number | null;
    PortBindings: Record<string, unknown>;
  };
  Mounts: { Type: string; Name?: string; Destination: string }[];
}

const MiB = 1024 * 1024;

/*
 * Projects real members would write, pushed to a git host on 127.0.0.1 and deployed through Manager, Worker
 * and Guardian under the deploy policy: each must be admitted AND run as written, which its page (the web
 * service printing what it read from the other services, its mounts and its environment) and its containers
 * show.
 */
describe('end to end: ordinary compose projects deploy and run under the deploy policy', () => {
  let git: GitHost;
  let system: System;
  const suffix = randomBytes(3).toString('hex');
  const repos = new Set<string>();

  before(async () => {
    git = await GitHost.start();
    system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl });
  });

  after(async () => {
    for (const repo of repos) await system?.composeDown(ORG, repo).catch(() => undefined);
    await system?.stop();
    await git?.stop();
  });

  /** A repository name of this run, cleaned up after it whatever its deployment did. */
  function repoNamed(kind: string): string {
    const repo = `${kind}-${suffix}`;
    repos.add(repo);
    return repo;
  }

  /**
   * Pushes `files` as a new commit and deploys it; fails with the reason and the end of the deployment's log
   * unless it succeeded.
   */
  async function deploy(
    repo: string,
    files: projects.ProjectFiles,
    composePath?: string,
  ): Promise<DeploymentView> {
    const commit = await git.push(ORG, repo, files);
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo,
      ...(composePath && { composePath }),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await eventually(async () => {
      const { body } = await system.call<DeploymentView>('GET', `/deployments/${accepted.body.deploymentId}`);
      return body.status === 'requested' ? undefined : body;
    }, 180_000);
    if (view.status !== 'succeeded') {
      const log = await system.call<{ lines: string[] }>('GET', `/deployments/${view.id}/logs`);
      assert.fail(`${repo} ${view.status}: ${view.reason}\n${log.body.lines.slice(-40).join('\n')}`);
    }
    assert.equal(view.commit, commit);
    return view;
  }

  /**
   * The page on `port` once `done` takes it (a CGI page shows what the services answer at that moment, and a
   * redeployed project may serve the old version for a moment), and the last answer or why none came.
   */
  async function pageWhen(
    port: number,
    done: (page: string) => boolean,
  ): Promise<{ page?: string; last: string }> {
    let last = 'nothing answered';
    const page = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch((error: Error) => {
        last = `${error.message} (${String(error.cause)})`;
        return null;
      });
      if (!res) return undefined;
      const text = await res.text();
      last = `${res.status}: ${text}`;
      return res.ok && done(text) ? text : undefined;
    }, 20_000).catch(() => undefined);
    return { page, last };
  }

  async function serves(port: number, expected: string): Promise<void> {
    const { page, last } = await pageWhen(port, (text) => text === expected);
    assert.equal(page ?? last, expected);
  }

  /** Waits until the page on `port` matches every one of `patterns`. */
  async function pageMatching(port: number, ...patterns: RegExp[]): Promise<void> {
    const { page, last } = await pageWhen(port, (text) => patterns.every((pattern) => pattern.test(text)));
    if (page === undefined) assert.fail(`the page on ${port} never matched ${patterns.join(', ')}: ${last}`);
  }

  async function containersOf(view: DeploymentView): Promise<ContainerUsage[]> {
    const res = await system.call<{ containers: ContainerUsage[] }>(
      'GET',
      `/deployments/${view.id}/containers`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.containers;
  }

  /** The services with a running container, one entry per container, sorted. */
  async function runningServices(view: DeploymentView): Promise<string[]> {
    return (await containersOf(view))
      .filter((container) => container.state === 'running')
      .map((container) => container.service)
      .sort();
  }

  async function containerOf(view: DeploymentView, service: string): Promise<ContainerUsage> {
    const found = (await containersOf(view)).find((container) => container.service === service);
    assert.ok(found, `no container of service ${service}`);
    return found;
  }

  async function inspect(container: string): Promise<Inspected> {
    const { stdout } = await run('docker', ['inspect', container]);
    return (JSON.parse(stdout) as Inspected[])[0];
  }

  it('web, database and cache: the web reaches both by service name over the project network', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-stack'), projects.webDbCache(port));
    await serves(port, `db:5432: ${projects.POSTGRES_GREETING}\ncache:6379: ${projects.REDIS_GREETING}\n`);
    assert.deepEqual(await runningServices(view), ['cache', 'db', 'web']);
    // Its healthcheck connects to db by name: healthy means the name resolved from inside the web too.
    assert.match((await containerOf(view, 'web')).status, /\(healthy\)/);
  });

  it('a worker waits for a healthy database, and the web for a healthy worker', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-worker'), projects.workerQueue(port));
    // The worker exits when db does not answer at its start: connected means it started after db was healthy.
    await serves(port, `worker: connected at start: ${projects.POSTGRES_GREETING}\n`);
    const containers = await containersOf(view);
    assert.deepEqual(containers.map((container) => container.service).sort(), ['db', 'web', 'worker']);
    for (const service of ['db', 'worker']) {
      assert.match((await containerOf(view, service)).status, /\(healthy\)/, service);
    }
    assert.equal((await containerOf(view, 'web')).state, 'running');
  });

  it('a one-shot migration finishes before the web starts; its named volume survives a redeploy of a new commit', async () => {
    const repo = repoNamed('bp-migrate');
    const port = await freePort();
    const first = await deploy(repo, projects.migrations(port, 1));
    await serves(port, 'applied migration 1\n');
    const migrate = await containerOf(first, 'migrate');
    assert.equal(migrate.state, 'exited');
    assert.match(migrate.status, /^Exited \(0\)/);
    assert.equal((await containerOf(first, 'web')).state, 'running');

    await deploy(repo, projects.migrations(port, 2));
    // Both lines: the volume the first deployment migrated is the one the second migrated again.
    await serves(port, 'applied migration 1\napplied migration 2\n');
  });

  it('runs a profile COMPOSE_PROFILES in .env activates, and not one nothing activates', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-profiles'), projects.profiles(port));
    await serves(port, 'metrics: node_up 1\n');
    assert.deepEqual(
      (await containersOf(view)).map((container) => container.service).sort(),
      ['metrics', 'web'],
      'adminer is in the debug profile, which nothing activates',
    );
    assert.deepEqual(await runningServices(view), ['metrics', 'web']);
  });

  it('keeps ./data, which the commit lacks, across a redeploy, readable on the host in the data directory', async () => {
    const repo = repoNamed('bp-data');
    const port = await freePort();
    const onHost = join(system.dataDir(ORG, repo, 'data'), 'releases.log');
    const first = await deploy(repo, projects.dataBindMount(port, 1));
    await serves(port, 'r1 started\n');
    assert.equal(await readFile(onHost, 'utf8'), 'r1 started\n');
    assert.deepEqual(await runningServices(first), ['app']);

    await deploy(repo, projects.dataBindMount(port, 2));
    await serves(port, 'r1 started\nr2 started\n');
    assert.equal(await readFile(onHost, 'utf8'), 'r1 started\nr2 started\n');
  });

  it('mounts a configuration file of the repository read-only', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-config'), projects.configFileMount(port));
    await serves(port, `${projects.NGINX_CONF}config: read-only\n`);
    assert.deepEqual(await runningServices(view), ['proxy']);
  });

  it('serves a directory of the repository with the base image as it is, from the new commit after a redeploy', async () => {
    const repo = repoNamed('bp-static');
    const port = await freePort();
    const first = await deploy(repo, projects.staticSite(port, 'welcome, members\n'));
    await serves(port, 'welcome, members\n');
    assert.deepEqual(await runningServices(first), ['web']);
    await deploy(repo, projects.staticSite(port, 'the site, edited\n'));
    await serves(port, 'the site, edited\n');
  });

  it('interpolates .env with defaults for what it leaves out, and reads an env_file of the repository', async () => {
    const port = await freePort();
    // The published port itself comes from .env: the page answering there is the first proof.
    const view = await deploy(repoNamed('bp-dotenv'), projects.dotenvAndEnvFile(port));
    await serves(
      port,
      [
        'APP_ENV=production',
        'GREETING=hello',
        'MAIL_FROM=noreply@example.org',
        'SESSION_TTL=3600',
        'WORKERS=2',
        '',
      ].join('\n'),
    );
    assert.deepEqual(await runningServices(view), ['web']);
  });

  it('extends a service defined in another file of the repository', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-extends'), projects.extendsFromFile(port));
    await serves(port, 'role=web log_level=info\napi says: role=api log_level=info\n');
    assert.deepEqual(await runningServices(view), ['api', 'web']);
  });

  it('shares defaults through x- anchors and merge keys: environment, labels, logging and restart policy', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-anchors'), projects.anchorsAndMergeKeys(port));
    await serves(
      port,
      'storefront: TZ=Europe/Helsinki currency=EUR\ncheckout: TZ=Europe/Helsinki currency=EUR\n',
    );
    assert.deepEqual(await runningServices(view), ['checkout', 'storefront']);
    for (const service of ['checkout', 'storefront']) {
      const inspected = await inspect((await containerOf(view, service)).name);
      assert.equal(inspected.Config.Labels[projects.SHOP_LABEL.key], projects.SHOP_LABEL.value, service);
      assert.equal(inspected.HostConfig.LogConfig.Type, 'json-file', service);
      assert.deepEqual(inspected.HostConfig.LogConfig.Config, { 'max-size': '1m', 'max-file': '3' }, service);
      assert.equal(inspected.HostConfig.RestartPolicy.Name, 'unless-stopped', service);
    }
  });

  it('applies deploy.resources.limits, mem_limit/cpus/pids_limit and ulimits, and the defaults where none are set', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-limits'), projects.resourceLimits(port));
    // cgroup v2 writes the CPU quota with its period, v1 without.
    await pageMatching(
      port,
      /^memory: 134217728$/m,
      /^cpu quota: 50000( 100000)?$/m,
      /^pids: 256$/m,
      /^open files: 4096$/m,
      /^processes: 512$/m,
    );
    assert.deepEqual(await runningServices(view), ['sidecar', 'web', 'worker']);
    // The sidecar's: the Worker's DEFAULT_MEMORY, DEFAULT_CPUS and DEFAULT_PIDS, which System leaves alone.
    const expected = {
      web: { memory: 128 * MiB, cpus: 0.5, pids: 256 },
      worker: { memory: 96 * MiB, cpus: 0.25, pids: 128 },
      sidecar: { memory: 512 * MiB, cpus: 1, pids: 512 },
    };
    for (const [service, limits] of Object.entries(expected)) {
      const container = await containerOf(view, service);
      const { HostConfig } = await inspect(container.name);
      assert.deepEqual(
        { memory: container.memoryLimitBytes, cpus: HostConfig.NanoCpus / 1e9, pids: HostConfig.PidsLimit },
        limits,
        service,
      );
    }
  });

  it('runs hardened: read-only root with tmpfs, only NET_BIND_SERVICE, no new privileges, an init, restart policy', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-hardened'), projects.hardened(port));
    await pageMatching(
      port,
      /^root: read-only$/m,
      /^tmpfs: writable$/m,
      new RegExp(`^CapEff:\\s+${projects.NET_BIND_SERVICE_ONLY}$`, 'm'),
      /^NoNewPrivs:\s+1$/m,
      /^pid 1: \S*docker-init /m,
    );
    const web = await containerOf(view, 'web');
    assert.equal(web.state, 'running');
    assert.equal((await inspect(web.name)).HostConfig.RestartPolicy.Name, 'unless-stopped');
  });

  it('reaches an api on an internal network, by name on its exposed port, through the proxy on both networks', async () => {
    const repo = repoNamed('bp-networks');
    const port = await freePort();
    const view = await deploy(repo, projects.internalNetwork(port));
    // The api is on the internal network alone, and the proxy, on both, reaches it there by its name.
    await serves(port, 'proxy networks: 2\napi says: api networks: 1\n');
    assert.deepEqual(await runningServices(view), ['api', 'proxy']);
    // Exposed to the project's networks, published nowhere.
    const api = await inspect((await containerOf(view, 'api')).name);
    assert.deepEqual(Object.keys(api.Config.ExposedPorts ?? {}), ['8081/tcp']);
    assert.deepEqual(api.HostConfig.PortBindings, {});
    const { stdout } = await run('docker', [
      'network',
      'inspect',
      '--format',
      '{{.Internal}}',
      `${composeProjectName(ORG, repo)}_backend`,
    ]);
    assert.equal(stdout.trim(), 'true');
  });

  it('builds the target stage of a multi-stage Dockerfile with build args', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-multistage'), projects.multiStageBuild(port));
    await serves(port, `release ${projects.APP_VERSION} (stable)\n`);
    assert.deepEqual(await runningServices(view), ['web']);
  });

  it('deploys a compose file in a subdirectory, with its .env beside it, built from the repository root', async () => {
    const port = await freePort();
    const view = await deploy(
      repoNamed('bp-monorepo'),
      projects.composeInSubdirectory(port),
      'deploy/compose.yml',
    );
    await serves(port, projects.MONOREPO_PAGE);
    assert.deepEqual(await runningServices(view), ['web']);
  });

  it('runs two replicas of services without published ports, with deploy.replicas and with scale', async () => {
    const port = await freePort();
    const view = await deploy(repoNamed('bp-replicas'), projects.replicas(port));
    await serves(port, 'worker replicas: 2\nmailer replicas: 2\n');
    assert.deepEqual(await runningServices(view), ['mailer', 'mailer', 'web', 'worker', 'worker']);
  });

  it('takes ports and volumes in the long syntax: named volume, read-only and data bind mounts, tmpfs', async () => {
    const repo = repoNamed('bp-long-syntax');
    const port = await freePort();
    const view = await deploy(repo, projects.longSyntax(port));
    await serves(
      port,
      [
        projects.SETTINGS_INI.trimEnd(),
        '/var/lib/app/uploads: writable',
        '/var/lib/app/state: writable',
        '/var/cache/app: writable',
        '/etc/app: read-only',
        'cache on: tmpfs',
        '',
      ].join('\n'),
    );
    assert.equal(await readFile(join(system.dataDir(ORG, repo, 'state'), 'probe'), 'utf8'), 'ok\n');
    const [app] = await containersOf(view);
    assert.equal(app.state, 'running');
    const uploads = (await inspect(app.name)).Mounts.find(
      (mount) => mount.Destination === '/var/lib/app/uploads',
    );
    assert.deepEqual(uploads && { type: uploads.Type, name: uploads.Name }, {
      type: 'volume',
      name: `${composeProjectName(ORG, repo)}_uploads`,
    });
    // Without host_ip (docker-compose 1.29 knows none in the long syntax) dockerd may list IPv4 and IPv6.
    assert.deepEqual(
      [
        ...new Set(
          app.ports.filter((entry) => entry.publicPort !== undefined).map((entry) => entry.publicPort),
        ),
      ],
      [port],
    );
  });
});
