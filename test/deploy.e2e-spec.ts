import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, statfs } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { NodeCapacity } from '@testausdeploy/icp';
import { LxdClient } from '../apps/worker/src/containers/lxd/lxd-client';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';
import { servedPage, webSite } from './support/web-site';
import { verifiesStandardWebhook, WebhookReceiver } from './support/webhook-receiver';

/** The project the deploy tests push: in `deploy/`, with a memory limit of its own. */
const webProject = (port: number, page: string) => webSite(port, page, { dir: 'deploy', memLimit: '64m' });

const run = promisify(execFile);
const ORG = 'e2e-org';

interface DeploymentView {
  id: string;
  status: 'requested' | 'succeeded' | 'failed';
  commit: string | null;
  diskBytes: number | null;
  reason: string | null;
  containers: {
    name: string;
    state: string;
    ports: { ip?: string; privatePort: number; publicPort?: number }[];
  }[];
}

describe('end to end: the three apps deploy a compose project from a git host on 127.0.0.1', () => {
  let git: GitHost;
  let system: System;
  const repo = `site-${randomBytes(3).toString('hex')}`;
  /** The first test's deployment, which the lifecycle test acts on. */
  let deployed: { id: string; port: number };

  before(async () => {
    git = await GitHost.start();
    system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl });
  });

  after(async () => {
    await system.composeDown(ORG, repo);
    await system.stop();
    await git.stop();
  });

  async function deployAndWait(body: object): Promise<DeploymentView> {
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', body);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    return eventually(async () => {
      const { body: view } = await system.call<DeploymentView>(
        'GET',
        `/deployments/${accepted.body.deploymentId}`,
      );
      return view.status === 'requested' ? undefined : view;
    }, 180_000);
  }

  it('deploys the branch head and serves the page on the published port', async () => {
    const port = await freePort();
    const page = `hello from ${repo}`;
    const commit = await git.push(ORG, repo, webProject(port, page));

    const view = await deployAndWait({
      org: ORG,
      repo,
      branch: 'main',
      composePath: 'deploy/docker-compose.yml',
    });
    assert.equal(view.status, 'succeeded', `${view.reason}\n${await system.logs()}`);
    assert.equal(view.commit, commit);
    assert.ok((view.diskBytes ?? 0) > 0, "the clone's disk use is reported");
    assert.equal(view.containers.length, 1);
    assert.equal(view.containers[0].state, 'running');
    assert.deepEqual(
      view.containers[0].ports.map(({ ip, publicPort, privatePort }) => ({ ip, publicPort, privatePort })),
      [{ ip: '127.0.0.1', publicPort: port, privatePort: 8080 }],
    );

    const served = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      return res.ok ? res.text() : undefined;
    }, 15_000);
    assert.equal(served, page);

    const { body: list } = await system.call<DeploymentView[]>('GET', '/deployments');
    assert.ok(list.some((item) => item.id === view.id && item.status === 'succeeded'));
    deployed = { id: view.id, port };

    const log = await system.call<{ lines: string[]; running: boolean }>(
      'GET',
      `/deployments/${view.id}/logs`,
    );
    assert.equal(log.body.running, false);
    assert.ok(
      log.body.lines.some((line) => line.startsWith(`checked out ${ORG}/${repo}@main at ${commit}`)),
      log.body.lines.join('\n'),
    );
    assert.ok(log.body.lines.includes('compose file checked against the deploy policy'));
  });

  it("shows the Worker's capacity as its host measures it: CPUs, memory, the repositories' disk, LXD's pool, what runs", async () => {
    const lxd = new LxdClient(process.env.LXD_SOCKET);
    const pool = (await lxd.networks.profile('default')).devices.root?.pool as string;
    const [space, repos] = await Promise.all([lxd.storagePools.resources(pool), statfs(system.reposDir)]);
    // The first test's project runs.
    const capacity = await eventually(async () => {
      const { body } = await system.call<{ name: string; capacity: NodeCapacity | null }[]>('GET', '/nodes');
      const reported = body.find((node) => node.name === 'worker')?.capacity;
      return reported && reported.projects >= 1 ? reported : undefined;
    }, 15_000);
    assert.equal(capacity.cpus, availableParallelism());
    assert.equal(capacity.memory.totalBytes, totalmem());
    assert.ok(capacity.memory.availableBytes > 0 && capacity.memory.availableBytes < totalmem());
    assert.equal(capacity.repositories.totalBytes, repos.blocks * repos.bsize);
    assert.ok(capacity.repositories.freeBytes <= capacity.repositories.totalBytes);
    assert.equal(capacity.storagePool?.name, pool);
    assert.equal(capacity.storagePool?.totalBytes, space.space.total);
    assert.ok(capacity.projectContainers >= 1);
    assert.equal(typeof capacity.memberContainers, 'number');
    assert.ok(capacity.load1 >= 0);
  });

  it('stops, starts, restarts and removes the deployed project, each recorded with who asked', async () => {
    const { id, port } = deployed;
    const usage = await system.call<{
      containers: {
        state: string;
        restarts: number;
        cpuPercent: number | null;
        memoryBytes: number | null;
        memoryLimitBytes: number | null;
      }[];
    }>('GET', `/deployments/${id}/containers`);
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    const [web] = usage.body.containers;
    assert.equal(web.state, 'running');
    assert.equal(web.restarts, 0);
    assert.ok((web.cpuPercent ?? -1) >= 0);
    assert.ok((web.memoryBytes ?? 0) > 0);
    assert.equal(web.memoryLimitBytes, 64 * 1024 * 1024, 'the limit the compose file sets');
    const serves = async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok === true;
    const act = (method: string, path: string) =>
      system.call<DeploymentView>(method, `/deployments/${id}${path}`);

    const stopped = await act('POST', '/stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    assert.equal(stopped.body.status, 'stopped');
    assert.equal(stopped.body.containers[0].state, 'exited');
    assert.equal(await serves(), false);
    assert.equal((await act('POST', '/stop')).status, 409);

    assert.equal((await act('POST', '/start')).body.status, 'succeeded');
    assert.ok(await eventually(async () => ((await serves()) ? true : undefined), 15_000));
    assert.equal((await act('POST', '/restart')).body.containers[0].state, 'running');

    const removed = await act('DELETE', '?volumes=true');
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.status, 'removed');
    assert.deepEqual(removed.body.containers, []);
    const { stdout } = await run('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=td_${ORG}_${repo}`,
    ]);
    assert.equal(stdout.trim(), '');
    assert.equal((await act('POST', '/start')).status, 409);

    const audit = await system.call<{ entries: { type: string; actor: string }[] }>(
      'GET',
      `/audit?streamId=deployment-${id}&order=oldest`,
    );
    assert.deepEqual(audit.body.entries.map((entry) => `${entry.type} by ${entry.actor}`).slice(2), [
      'DeploymentStopped by admin',
      'DeploymentStarted by admin',
      'DeploymentRestarted by admin',
      'DeploymentRemoved by admin',
    ]);
  });

  it('keeps the data a service writes into a bind mount of a path the commit lacks across redeploys', async () => {
    const keeper = `data-${randomBytes(3).toString('hex')}`;
    const project = (page: string) => ({
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    build: ./web',
        '    volumes: ["./data:/data"]',
        '',
      ].join('\n'),
      'web/Dockerfile': [
        'FROM testausdeploy/busybox:latest',
        'COPY index.html /www/index.html',
        'CMD ["sh", "-c", "echo started >> /data/starts && exec httpd -f -p 8080 -h /www"]',
        '',
      ].join('\n'),
      'web/index.html': page,
    });
    const starts = join(system.dataDir(ORG, keeper, 'data'), 'starts');
    const lines = async () =>
      (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    const v1 = await git.push(ORG, keeper, project('v1'));
    const first = await deployAndWait({ org: ORG, repo: keeper });
    assert.equal(first.status, 'succeeded');
    await eventually(async () => ((await lines()) === 1 ? true : undefined), 15_000);
    await git.push(ORG, keeper, project('v2'));
    const again = await deployAndWait({ org: ORG, repo: keeper });
    assert.equal(again.status, 'succeeded', again.reason ?? '');
    await eventually(async () => ((await lines()) === 2 ? true : undefined), 15_000);

    // Rolling back restores the first attempt's commit exactly, as a new attempt; the data stays.
    const accepted = await system.call<{ deploymentId: string }>('POST', `/deployments/${first.id}/rollback`);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const rolledBack = await eventually(async () => {
      const { body } = await system.call<DeploymentView & { rollbackOf: string }>(
        'GET',
        `/deployments/${accepted.body.deploymentId}`,
      );
      return body.status === 'requested' ? undefined : body;
    }, 120_000);
    assert.equal(rolledBack.status, 'succeeded', rolledBack.reason ?? '');
    assert.equal(rolledBack.commit, v1);
    assert.equal(rolledBack.rollbackOf, first.id);
    // One checkout is left, the one the running version mounts: of the first commit.
    const checkouts = await readdir(join(system.checkoutsDir, composeProjectName(ORG, keeper)));
    assert.deepEqual(
      checkouts.map((dir) => dir.split('-')[0]),
      [v1.slice(0, 12)],
    );
    await eventually(async () => ((await lines()) === 3 ? true : undefined), 15_000);
    assert.equal((await system.call('DELETE', `/deployments/${rolledBack.id}`)).status, 200);
  });

  it('rolls a deployment whose containers do not come up back to the previous commit, telling its channel each step', async () => {
    const flaky = `flaky-${randomBytes(3).toString('hex')}`;
    const port = await freePort();
    const v1 = await git.push(ORG, flaky, webProject(port, 'stable'));
    assert.equal(
      (await deployAndWait({ org: ORG, repo: flaky, composePath: 'deploy/docker-compose.yml' })).status,
      'succeeded',
    );
    // The project's channel, a receiver on 127.0.0.1 (its retries are notifications.int.spec.ts's).
    const receiver = await WebhookReceiver.start();
    const topics = ['deployment.succeeded', 'deployment.failed', 'deployment.rolledBack'];
    const added = await system.call('POST', '/notifications/channels', {
      name: 'flaky',
      kind: 'webhook',
      url: receiver.url('/flaky'),
      topics,
      project: { org: ORG, repo: flaky },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    // The next commit builds fine but its server dies at once.
    await git.push(ORG, flaky, {
      ...webProject(port, 'broken'),
      'deploy/web/Dockerfile': 'FROM testausdeploy/busybox:latest\nCMD ["sh", "-c", "exit 3"]\n',
    });
    const broken = await deployAndWait({ org: ORG, repo: flaky, composePath: 'deploy/docker-compose.yml' });
    assert.equal(broken.status, 'failed');
    assert.match(broken.reason ?? '', new RegExp(`service "web" exited with code 3; rolling back to ${v1}`));
    const rollback = await eventually(async () => {
      const { body } = await system.call<(DeploymentView & { repo: string; requestedBy: string })[]>(
        'GET',
        '/deployments',
      );
      const newest = body.find((view) => view.repo === flaky);
      return newest && newest.id !== broken.id && newest.status !== 'requested' ? newest : undefined;
    }, 120_000);
    assert.equal(rollback.status, 'succeeded', rollback.reason ?? '');
    assert.equal(rollback.commit, v1);
    assert.equal(rollback.requestedBy, 'system');
    assert.equal(
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.text(),
        15_000,
      ),
      'stable',
    );
    await git.push(ORG, flaky, webProject(port, 'fixed'));
    const fixed = await deployAndWait({ org: ORG, repo: flaky, composePath: 'deploy/docker-compose.yml' });
    assert.equal(fixed.status, 'succeeded', fixed.reason ?? '');
    // The failure, the rollback and the fixed deployment, each told once, in order, signed.
    const told = await eventually(async () => {
      const accepted = receiver.accepted('/flaky');
      return accepted.length === 3 ? accepted : undefined;
    }, 30_000);
    assert.deepEqual(
      told.map(({ json }) => json.type),
      ['deployment.failed', 'deployment.rolledBack', 'deployment.succeeded'],
    );
    assert.ok(told.every((request) => verifiesStandardWebhook(request, String(added.body.signingSecret))));
    assert.match(JSON.stringify(told[0].json), /exited with code 3/);
    await receiver.stop();
    assert.equal((await system.call('DELETE', `/deployments/${fixed.id}`)).status, 200);
  });

  it('ends a deployment in a definite state when the Manager restarts in the middle of it', async () => {
    const slow = `${repo}-slow`;
    const port = await freePort();
    await git.push(ORG, slow, webSite(port, 'slow', { slowBuildSeconds: 4 }));
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo: slow,
    });
    assert.equal(accepted.status, 202);
    const id = accepted.body.deploymentId;
    // Restarted while the Worker builds: the new Manager finds the deployment unfinished and runs it again.
    await eventually(async () => {
      const log = await system.call<{ lines: string[] }>('GET', `/deployments/${id}/logs`);
      return log.body.lines.some((line) => line.includes('sleep')) ? true : undefined;
    }, 60_000);
    await system.restart('manager');
    const ended = await eventually(async () => {
      const { status, body } = await system.call<DeploymentView>('GET', `/deployments/${id}`).catch(() => ({
        status: 0,
        body: null,
      }));
      return status === 200 && body && body.status !== 'requested' ? body : undefined;
    }, 180_000);
    assert.equal(ended.status, 'succeeded', JSON.stringify(ended));
    assert.equal(await servedPage(port), 'slow');
    // The lock is let go right after the outcome is recorded, which the view may show a moment earlier.
    await eventually(async () => {
      const { body } = await system.call<unknown[]>('GET', '/deployments/locks');
      return body.length === 0 ? true : undefined;
    }, 10_000);
    await system.composeDown(ORG, slow);
  });

  it('refuses an organisation that is not allowed with 403 and the reason', async () => {
    const res = await system.call<{ message: string }>('POST', '/deployments', { org: 'other-org', repo });
    assert.equal(res.status, 403);
    assert.match(res.body.message, /not on the allow-list/);
  });

  it('refuses a compose path with ../ with 400 before anything runs', async () => {
    const res = await system.call<{ message: string[] }>('POST', '/deployments', {
      org: ORG,
      repo,
      composePath: 'deploy/../../../etc/compose.yml',
    });
    assert.equal(res.status, 400);
    assert.match(String(res.body.message), /must not contain "\.\." segments/);
  });

  it('records DeploymentFailed when the compose file is a symlink out of the clone', async () => {
    const escape = `escape-${randomBytes(3).toString('hex')}`;
    // git stores the symlink itself; the Worker must refuse to follow it out of the clone.
    await git.push(ORG, escape, { 'compose.yml': { symlink: '/etc/hostname' } });
    const view = await deployAndWait({ org: ORG, repo: escape, composePath: 'compose.yml' });
    assert.equal(view.status, 'failed');
    assert.match(view.reason ?? '', /outside|escapes/i);
  });

  it('refuses a compose file that breaks the deploy policy before anything runs, naming service and rule', async () => {
    const hostile = `hostile-${randomBytes(3).toString('hex')}`;
    await git.push(ORG, hostile, {
      'docker-compose.yml': [
        'services:',
        '  miner:',
        '    image: testausdeploy/busybox:latest',
        '    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
        '',
      ].join('\n'),
    });
    const view = await deployAndWait({ org: ORG, repo: hostile });
    assert.equal(view.status, 'failed');
    assert.match(view.reason ?? '', /services\.miner\.volumes\[0\]: mounting the container engine's socket/);
    const { stdout } = await run('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=td_${ORG}_${hostile}`,
    ]);
    assert.equal(stdout.trim(), '', 'nothing of the refused project may exist');
  });

  it('ends a build that prints a 2 MB line and 600 MB without a newline in a bounded failure and a bounded log', async () => {
    const loud = `loud-${randomBytes(3).toString('hex')}`;
    await git.push(ORG, loud, {
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': [
        'FROM testausdeploy/busybox:latest',
        // The repository's name makes the steps its own: a cached step would print nothing.
        `RUN echo ${loud} && head -c 2097152 /dev/zero | tr '\\000' x && echo`,
        `RUN head -c 600000000 /dev/zero | tr '\\000' y && false`,
        '',
      ].join('\n'),
    });
    const view = await deployAndWait({ org: ORG, repo: loud });
    // Its failed build left the project's network: each run's would take one of dockerd's address pools for good.
    await system.composeDown(ORG, loud);
    assert.equal(view.status, 'failed');
    assert.match(
      view.reason ?? '',
      /^docker-compose up for td_e2e-org_loud-\w+ failed \(exit code \d+\): its output is in the deployment's logs$/,
    );
    const { body: log } = await system.call<{ lines: string[]; truncated: boolean }>(
      'GET',
      `/deployments/${view.id}/logs`,
    );
    assert.ok(
      log.lines.every((line) => line.length <= 2001),
      'every stored line is cut',
    );
    assert.ok(
      log.lines.some((line) => line.startsWith('xxxx')),
      'the 2 MB line is there, cut',
    );
    // The Worker is up, and its session was never dropped and redialled: one attempt, one outcome.
    assert.equal(((await (await fetch(`${system.api}/health`)).json()) as { worker: boolean }).worker, true);
    const audit = await system.call<{ entries: { type: string }[] }>(
      'GET',
      `/audit?streamId=deployment-${view.id}`,
    );
    assert.deepEqual(audit.body.entries.map(({ type }) => type).sort(), [
      'DeploymentFailed',
      'DeploymentRequested',
    ]);
  });

  it('records DeploymentFailed with a clear reason for a repository that does not exist', async () => {
    const view = await deployAndWait({ org: ORG, repo: 'no-such-repo' });
    assert.equal(view.status, 'failed');
    assert.match(view.reason ?? '', /not found/);
  });

  it('lists the nodes it enrolled from the command line, with their sessions up, in the audit log too', async () => {
    const nodes = await system.call<
      {
        name: string;
        kind: string;
        url: string;
        fingerprint: string;
        guardian: string | null;
        connected: boolean;
      }[]
    >('GET', '/nodes');
    assert.deepEqual(
      nodes.body.map(({ name, kind, guardian, connected }) => ({ name, kind, guardian, connected })),
      [
        { name: 'guardian', kind: 'guardian', guardian: null, connected: true },
        { name: 'worker', kind: 'worker', guardian: 'guardian', connected: true },
      ],
    );
    const audit = await system.call<{ entries: { type: string; streamId: string }[] }>(
      'GET',
      '/audit?type=NodeEnrolled&order=oldest',
    );
    assert.deepEqual(
      audit.body.entries.map((entry) => entry.streamId),
      ['node-guardian', 'node-worker'],
    );
    // Enrolling again the same way is a no-op: the script that brings the system up can run twice.
    assert.match(
      await system.cli(
        'manager',
        'enrol',
        'guardian',
        'guardian',
        nodes.body[0].url,
        nodes.body[0].fingerprint,
      ),
      /already enrolled/,
    );
  });

  it("rotates the Worker's key: new pin through the API, reload by SIGHUP, session back without a restart", async () => {
    const before = (await system.call<{ fingerprint: string; url: string }>('GET', '/nodes/worker')).body;
    const fingerprint = (await system.cli('worker', 'rotate-key')).trim();
    assert.match(fingerprint, /^[0-9a-f]{64}$/);
    assert.notEqual(fingerprint, before.fingerprint);
    system.signal('worker', 'SIGHUP');
    assert.match(
      await system.cli('manager', 'enrol', 'worker', 'worker', before.url, fingerprint, 'guardian'),
      /now pinned/,
    );
    await eventually(async () => {
      const node = await system.call<{ fingerprint: string; connected: boolean }>('GET', '/nodes/worker');
      return node.body.connected && node.body.fingerprint === fingerprint ? true : undefined;
    }, 20_000);
    const rotations = await system.call<{ entries: { data: { previousFingerprint: string } }[] }>(
      'GET',
      '/audit?type=NodeKeyRotated',
    );
    assert.equal(rotations.body.entries[0].data.previousFingerprint, before.fingerprint);
  });

  it('rebuilds the read models from the command line, through the running Manager', async () => {
    const before = await system.call<DeploymentView[]>('GET', '/deployments');
    const output = JSON.parse(await system.cli('manager', 'rebuild')) as { rebuilt: { name: string }[] };
    assert.deepEqual(output.rebuilt.map((result) => result.name).sort(), [
      'audit',
      'containers',
      'deployments',
      'firewall',
      'members',
      'nodes',
      'notification_channels',
      'organisations',
      'projects',
      'routes',
      'sessions',
      'stats',
    ]);
    const one = JSON.parse(await system.cli('manager', 'rebuild', 'deployments')) as { name: string };
    assert.equal(one.name, 'deployments');
    assert.deepEqual((await system.call<DeploymentView[]>('GET', '/deployments')).body, before.body);
    await assert.rejects(system.cli('manager', 'rebuild', 'nope'), /404/);
  });
});
