import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import { GitHost } from './support/git-host';
import { allowedTcp } from './support/guardian-table';
import { eventually, freePort } from './support/ports';
import { SecondNode } from './support/second-node';
import { System } from './support/system';
import { webSite } from './support/web-site';

const run = promisify(execFile);
const ORG = 'e2e-org';

interface Placement {
  node: string;
  rule: string;
  reason: string;
}

/**
 * Two nodes on this machine: the System's Worker and Guardian (`worker`, `guardian`) and a second pair
 * (`worker-b`, `guardian-b`) with state directories, ports, an apps network and a Guardian's network namespace
 * of their own. They share dockerd and LXD; each Worker keeps its clones in its own REPOS_DIR, which shows where a
 * project really ran.
 */
describe('end to end: two Worker/Guardian pairs, placement, commands to the right node, a node that goes away', () => {
  let git: GitHost;
  let system: System;
  let b: SecondNode;
  const suffix = randomBytes(3).toString('hex');
  const onB = `fast-${suffix}`;
  const onA = `named-${suffix}`;
  const ports: Record<string, number> = {};

  const deploy = async (repo: string, wish: object = {}) => {
    const { status, body } = await system.call<{ deploymentId: string; message?: string }>(
      'POST',
      '/deployments',
      {
        org: ORG,
        repo,
        ...wish,
      },
    );
    assert.equal(status, 202, body.message);
    return eventually(async () => {
      const { body: view } = await system.call<{ id: string; status: string; reason: string | null }>(
        'GET',
        `/deployments/${body.deploymentId}`,
      );
      return view.status === 'requested' ? undefined : view;
    }, 120_000);
  };
  const project = async (repo: string) =>
    (
      await system.call<{
        placement: Placement | null;
        unreachableSince: string | null;
        latest: { deploymentId: string };
      }>('GET', `/projects/${ORG}/${repo}`)
    ).body;
  const cloned = (reposDir: string, repo: string) =>
    stat(join(reposDir, ORG, `${repo}.git`)).then(
      () => true,
      () => false,
    );
  const served = (port: number) =>
    fetch(`http://127.0.0.1:${port}/`).then(
      (res) => res.ok,
      () => false,
    );

  before(async () => {
    git = await GitHost.start();
    system = await System.start({
      allowedOrgs: ORG,
      gitBaseUrl: git.baseUrl,
      env: { manager: { NODE_UNREACHABLE_AFTER_MS: '1000' } },
    });
    b = await SecondNode.start(system, 'b');
    for (const repo of [onA, onB]) {
      ports[repo] = await freePort();
      await git.push(ORG, repo, webSite(ports[repo], `hello from ${repo}`, { hostIp: '0.0.0.0' }));
    }
  });

  after(async () => {
    for (const repo of [onA, onB]) await system?.composeDown(ORG, repo);
    await b?.stop();
    await system?.stop();
    await git?.stop();
  });

  it('places a project by label and by an admin’s choice, deploys it on that node’s Worker only, and says why', async () => {
    const labelled = await system.call('PUT', '/nodes/worker-b/labels', { labels: ['ssd'] });
    assert.equal(labelled.status, 200);
    const first = await deploy(onB, { labels: ['ssd'] });
    assert.equal(first.status, 'succeeded', `${first.reason}\n${await b.logs()}`);
    const placed = (await project(onB)).placement as Placement;
    assert.equal(placed.node, 'worker-b');
    assert.equal(placed.rule, 'labels');
    assert.match(
      placed.reason,
      /^most free capacity of the nodes labelled ssd: \d+% of .+ free, its scarcest resource$/,
    );
    assert.deepEqual(
      [await cloned(join(b.dir, 'repos'), onB), await cloned(system.reposDir, onB)],
      [true, false],
    );
    assert.ok(await eventually(async () => ((await served(ports[onB])) ? true : undefined), 15_000));

    const second = await deploy(onA, { node: 'worker' });
    assert.equal(second.status, 'succeeded', second.reason ?? '');
    assert.deepEqual(
      [(await project(onA)).placement?.node, (await project(onA)).placement?.rule],
      ['worker', 'named'],
    );
    assert.deepEqual(
      [await cloned(system.reposDir, onA), await cloned(join(b.dir, 'repos'), onA)],
      [true, false],
    );
    const { body: nodes } = await system.call<{ name: string; projects: string[] }[]>('GET', '/nodes');
    assert.deepEqual(
      nodes.filter(({ name }) => name.startsWith('worker')).map(({ name, projects }) => [name, projects]),
      [
        ['worker', [`${ORG}/${onA}`]],
        ['worker-b', [`${ORG}/${onB}`]],
      ],
    );
  });

  it("opens each project's published port in its own node's firewall only", async () => {
    await eventually(async () => {
      const [onNodeA, onNodeB] = [await allowedTcp(system.guardianNetns), await allowedTcp(b.guardianNetns)];
      return onNodeA.includes(ports[onA]) &&
        !onNodeA.includes(ports[onB]) &&
        onNodeB.includes(ports[onB]) &&
        !onNodeB.includes(ports[onA])
        ? true
        : undefined;
    }, 20_000);
  });

  it('makes only its own projects unreachable when a Worker is killed, refuses their commands, records what changed meanwhile once it is back, and acts again', async () => {
    const { latest } = await project(onB);
    await b.crash('worker');
    const down = await eventually(async () => {
      const view = await project(onB);
      return view.unreachableSince ? view : undefined;
    }, 20_000);
    assert.ok(Date.parse(down.unreachableSince as string) <= Date.now());
    const stop = await system.call<{ message: string }>('POST', `/deployments/${latest.deploymentId}/stop`);
    assert.equal(stop.status, 503);
    assert.match(stop.body.message, /^node worker-b is unreachable since .+: nothing is sent elsewhere/);
    const refused = await system.call<{ message: string }>('POST', '/deployments', { org: ORG, repo: onB });
    assert.equal(refused.status, 503, 'no deployment is recorded for a node that is down');
    // The other node is not affected: it deploys on, and its project answers.
    assert.equal((await project(onA)).unreachableSince, null);
    assert.equal((await deploy(onA)).status, 'succeeded');
    assert.ok(await served(ports[onA]));
    // The killed Worker's containers run on: dockerd is not the Worker.
    assert.ok(await served(ports[onB]));
    // Recorded once it has been down NODE_UNREACHABLE_AFTER_MS (a second here), so the admins hear of it.
    await eventually(async () => {
      const { body } = await system.call<{ entries: { data: { node: string } }[] }>(
        'GET',
        '/audit?type=NodeUnreachable',
      );
      return body.entries.some(({ data }) => data.node === 'worker-b') ? true : undefined;
    }, 20_000);

    // While the node is away, its project's containers stop (someone ran `docker stop` on that host).
    const compose = composeProjectName(ORG, onB);
    const ids = (await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${compose}`]))
      .stdout;
    await run('docker', ['stop', '-t', '1', ...ids.split('\n').filter(Boolean)]);

    b.launch('worker');
    await b.connected(system);
    assert.equal((await project(onB)).unreachableSince, null);
    // Back, what runs on it is compared with the log, and the difference recorded; the log is not rewritten.
    const differed = await eventually(async () => {
      const { body } = await system.call<{ entries: { data: { node: string; differences: object[] } }[] }>(
        'GET',
        '/audit?type=NodeStateDiffered',
      );
      return body.entries.find(({ data }) => data.node === 'worker-b');
    }, 20_000);
    assert.deepEqual(differed.data.differences, [
      { subject: `project:${ORG}/${onB}`, recorded: 'running', found: 'stopped' },
    ]);
    const started = await system.call('POST', `/deployments/${latest.deploymentId}/restart`);
    assert.equal(started.status, 200, 'its commands go to it again');
    assert.ok(await eventually(async () => ((await served(ports[onB])) ? true : undefined), 15_000));
  });

  it('refuses a move within one Docker engine, keeps a Worker enrolled while something runs on it, and drains it', async () => {
    // The two Workers here share one dockerd: a move would have the new copy taken over and removed with the old.
    const move = await system.call<{ message: string }>('POST', `/projects/${ORG}/${onA}/move`, {
      node: 'worker-b',
    });
    assert.equal(move.status, 409);
    assert.match(move.body.message, /^worker and worker-b run projects on one Docker engine/);
    const removed = await system.call<{ message: string }>('DELETE', '/nodes/worker-b');
    assert.equal(removed.status, 409);
    assert.match(removed.body.message, new RegExp(`still runs project ${ORG}/${onB}`));
    assert.equal((await system.call('PUT', '/nodes/worker-b/draining', { draining: true })).status, 200);
    const refused = await system.call<{ message: string }>('POST', '/deployments', {
      org: ORG,
      repo: `nowhere-${suffix}`,
      labels: ['ssd'],
    });
    assert.equal(refused.status, 409);
    assert.equal(
      refused.body.message,
      'no node can take a new project: worker lacks ssd; worker-b is being drained',
    );
  });
});
