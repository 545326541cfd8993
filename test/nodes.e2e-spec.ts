import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { composeProjectName } from '../apps/worker/src/deploy/compose-cli';
import { GitHost } from './support/git-host';
import { allowedTcp } from './support/guardian-table';
import { LxdProject } from './support/lxd-project';
import { eventually, freePort } from './support/ports';
import { SecondNode } from './support/second-node';
import { ssh, sshKeyPair, sshWhenUp } from './support/ssh';
import { System } from './support/system';
import { servedPage, webSite } from './support/web-site';

const run = promisify(execFile);
const ORG = 'e2e-org';

interface Container {
  node: string | null;
  moving: { from: string; to: string } | null;
  leftOn: string | null;
  status: string;
  sshPort: number;
  ipv4: string | null;
  placement: { rule: string; reason: string } | null;
}

/** The network of the first LXD bridge, where node a's Worker puts containers. */
async function bridgeSubnet(): Promise<string> {
  return (await run('bash', ['-c', 'source scripts/lib.sh && lxd_bridge_subnet'])).stdout.trim();
}

interface Placement {
  node: string;
  rule: string;
  reason: string;
  at: string;
}

/**
 * Two nodes on this machine: the System's Worker and Guardian (`worker`, `guardian`) and a second pair
 * (`worker-b`, `guardian-b`) with state directories, ports, an apps network and a network namespace of their
 * own. Node a deploys with the host's dockerd, node b with a dockerd of its own in its namespace, which publishes
 * its projects' ports there. They share LXD; each Worker keeps its clones in its own REPOS_DIR, which shows where
 * a project really ran.
 */
describe('end to end: two Worker/Guardian pairs, placement, commands to the right node, a node that goes away', () => {
  let git: GitHost;
  let system: System;
  let b: SecondNode;
  let lxd: LxdProject;
  let backupsA: string;
  const box = `box-${randomBytes(3).toString('hex')}`;
  const suffix = randomBytes(3).toString('hex');
  const onB = `fast-${suffix}`;
  const onA = `named-${suffix}`;
  /** Placed by capacity alone: on whichever node has the larger share of its scarcest resource free. */
  const anywhere = `roomy-${suffix}`;
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
    return outcome(body.deploymentId);
  };
  const outcome = (deploymentId: string) =>
    eventually(async () => {
      const { body: view } = await system.call<{ id: string; status: string; reason: string | null }>(
        'GET',
        `/deployments/${deploymentId}`,
      );
      return view.status === 'requested' ? undefined : view;
    }, 120_000);
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
  /** Whether this host (node a's) serves `port`. */
  const served = (port: number) =>
    fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );

  before(async () => {
    git = await GitHost.start();
    lxd = await LxdProject.create();
    backupsA = await mkdtemp(join(tmpdir(), 'backups-a-'));
    system = await System.start({
      allowedOrgs: ORG,
      gitBaseUrl: git.baseUrl,
      env: {
        manager: { NODE_UNREACHABLE_AFTER_MS: '1000', CONTAINER_SSH_PORTS: '44000-44099' },
        worker: { BACKUP_DIR: backupsA },
        guardian: { CONTAINER_SUBNETS: await bridgeSubnet() },
      },
    });
    // Node b's containers are in an LXD project of their own, on a bridge of their own, as on a host of its own.
    b = await SecondNode.start(system, 'b', {
      ownDockerd: true,
      env: { worker: { LXD_PROJECT: lxd.name }, guardian: { CONTAINER_SUBNETS: lxd.subnet } },
    });
    for (const repo of [onA, onB, anywhere]) {
      ports[repo] = await freePort();
      await git.push(ORG, repo, webSite(ports[repo], `hello from ${repo}`, { hostIp: '0.0.0.0' }));
    }
  });

  after(async () => {
    for (const repo of [onA, onB, anywhere]) await system?.composeDown(ORG, repo);
    await b?.stop();
    await system?.stop();
    await git?.stop();
    await run('lxc', ['delete', '--force', box]).catch(() => undefined);
    await lxd?.delete();
    if (backupsA) await rm(backupsA, { recursive: true, force: true });
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
    assert.ok(await eventually(async () => ((await b.servedPage(ports[onB])) ? true : undefined), 15_000));
    assert.equal(await served(ports[onB]), false, "node b's dockerd publishes in node b's namespace only");

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

  it('places a project asking for nothing by the capacity both Workers really report, and says why', async () => {
    const third = await deploy(anywhere);
    assert.equal(third.status, 'succeeded', third.reason ?? '');
    const { node, rule, reason } = (await project(anywhere)).placement as Placement;
    assert.equal(rule, 'capacity');
    const other = node === 'worker' ? 'worker-b' : 'worker';
    assert.match(
      reason,
      new RegExp(`^most free capacity: \\d+% of .+ free, its scarcest resource \\(${other} \\d+%\\)$`),
    );
    const reposDir = (name: string) => (name === 'worker' ? system.reposDir : join(b.dir, 'repos'));
    assert.deepEqual(
      [await cloned(reposDir(node), anywhere), await cloned(reposDir(other), anywhere)],
      [true, false],
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
    assert.ok(await b.servedPage(ports[onB]));
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
    const ids = await b.docker('ps', '-q', '--filter', `label=com.docker.compose.project=${compose}`);
    await b.docker('stop', '-t', '1', ...ids.split('\n').filter(Boolean));

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
    assert.ok(await eventually(async () => ((await b.servedPage(ports[onB])) ? true : undefined), 15_000));
  });

  it('moves a project to the other node: its old copy serves until the switch, then goes; its placement, port and next deployment follow', async () => {
    const page = `hello from ${onA}`;
    assert.equal(await servedPage(ports[onA]), page, 'it runs on node a, published on this host');
    // Both copies are asked all through the move, each answer kept with the moment it came.
    const fromA: { ok: boolean; at: number }[] = [];
    let moving = true;
    const askingA = (async () => {
      while (moving) {
        fromA.push({ ok: await served(ports[onA]), at: Date.now() });
        await delay(50);
      }
    })();
    const askingB = b.asking(ports[onA]);
    const move = await system.call<{ deploymentId: string; message?: string }>(
      'POST',
      `/projects/${ORG}/${onA}/move`,
      { node: 'worker-b' },
    );
    assert.equal(move.status, 202, move.body.message);
    const moved = await outcome(move.body.deploymentId);
    moving = false;
    await askingA;
    const fromB = await askingB.stop();
    assert.equal(moved.status, 'succeeded', `${moved.reason}\n${await b.logs()}`);
    const placement = (await project(onA)).placement as Placement;
    assert.deepEqual(
      [placement.node, placement.rule, placement.reason],
      ['worker-b', 'moved', 'moved from worker'],
    );
    // Node a's copy answered every request until the switch was recorded, and node b's copy answered before it:
    // an old copy removed, or a switch made, before the new copy served would fail here.
    const switched = Date.parse(placement.at);
    const untilSwitch = fromA.filter(({ at }) => at < switched);
    assert.ok(untilSwitch.length >= 5, `only ${untilSwitch.length} requests to node a before the switch`);
    const failed = untilSwitch.filter(({ ok }) => !ok);
    assert.equal(
      failed.length,
      0,
      `${failed.length} of ${untilSwitch.length} requests to node a failed before the switch, the first ` +
        `${switched - (failed[0]?.at ?? switched)} ms before it`,
    );
    assert.ok(
      fromB.some(({ page: answer, at }) => answer === page && at < switched),
      `node b's copy answered before the switch (${fromB.length} requests)`,
    );

    // From the switch on, node b serves it, and node a's copy goes.
    assert.equal(await b.servedPage(ports[onA]), page);
    assert.equal(await cloned(join(b.dir, 'repos'), onA), true);
    const compose = composeProjectName(ORG, onA);
    const onNodeA = () =>
      run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${compose}`]);
    await eventually(async () => ((await onNodeA()).stdout.trim() === '' ? true : undefined), 20_000);
    assert.equal(await served(ports[onA]), false);
    // Its port is open in node b's firewall now, and no longer in node a's.
    await eventually(async () => {
      const [inA, inB] = [await allowedTcp(system.guardianNetns), await allowedTcp(b.guardianNetns)];
      return inB.includes(ports[onA]) && !inA.includes(ports[onA]) ? true : undefined;
    }, 20_000);

    // Its next deployment runs on node b.
    await git.push(ORG, onA, { 'web/index.html': `hello again from ${onA}` });
    const again = await deploy(onA);
    assert.equal(again.status, 'succeeded', again.reason ?? '');
    assert.equal((await project(onA)).placement?.node, 'worker-b');
    assert.equal(await b.servedPage(ports[onA]), `hello again from ${onA}`);
    assert.equal((await onNodeA()).stdout.trim(), '');
  });

  it("moves a member's container to the other node through a backup: its name, SSH port, keys, host key, data and snapshots go; a failed or cut-short move leaves it where it ran; unreachable while its node is away", async () => {
    const key = await sshKeyPair(join(system.dir, 'member-key'));
    const { body: carol } = await system.call<{ token: string }>('POST', '/members', { name: 'carol' });
    const created = await system.call<Container>('POST', '/containers', {
      name: box,
      owner: 'carol',
      limits: { cpus: 1, memoryMiB: 512, diskGiB: 2 },
      sshKeys: [key.publicKey],
      node: 'worker',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { sshPort } = created.body;
    const hostKey = 'cat /etc/ssh/ssh_host_ed25519_key.pub';
    const hostKeyBefore = await sshWhenUp(key.key, sshPort, 'carol', `echo kept > notes && ${hostKey}`);
    assert.equal(
      (await system.call('POST', `/containers/${box}/snapshots`, { snapshot: 'first' })).status,
      201,
    );
    await ssh(key.key, sshPort, 'carol', 'echo after > notes');
    /** Once the move under way has said a line starting with `step` in the container's progress. */
    const moveReaches = (step: string) =>
      eventually(async () => {
        const { body } = await system.call<{ running: boolean; lines: string[] }>(
          'GET',
          `/containers/${box}/progress`,
        );
        return body?.running && body.lines.some((line) => line.startsWith(step)) ? true : undefined;
      }, 120_000);
    const moveTo = (node: string, token?: string) =>
      system.call<Container & { message: string }>('POST', `/containers/${box}/move`, { node }, token);
    assert.equal((await moveTo('worker-b', carol.token)).status, 403, 'only admins move containers');
    assert.match((await moveTo('worker')).body.message, /runs on worker already/);
    assert.equal((await moveTo('worker-c')).status, 400);

    // Node b cannot take the backup's file (its directory is a file): the move fails, and changes nothing.
    const blocked = join(b.dir, 'backups', box);
    await mkdir(join(b.dir, 'backups'), { recursive: true });
    await writeFile(blocked, 'in the way');
    const failed = await moveTo('worker-b');
    assert.equal(failed.status, 503, JSON.stringify(failed.body));
    assert.match(failed.body.message, /writeBackup/);
    const stayed = await system.call<Container>('GET', `/containers/${box}`);
    assert.deepEqual([stayed.body.node, stayed.body.status], ['worker', 'running']);
    assert.equal(
      await sshWhenUp(key.key, sshPort, 'carol', 'cat notes'),
      'after\n',
      'started again where it ran',
    );
    assert.deepEqual(await readdir(join(backupsA, box)), [], "the move's backup is gone");
    await rm(blocked);

    // The Manager is killed while the backup is carried: started again, it undoes the move.
    const cut = moveTo('worker-b').catch(() => null);
    await moveReaches('carrying ');
    assert.equal((await system.call<Container>('GET', `/containers/${box}`)).body.moving?.to, 'worker-b');
    await system.crash('manager');
    await cut;
    const undone = await eventually(async () => {
      const { status, body } = await system.call<Container>('GET', `/containers/${box}`);
      return status === 200 && body.moving === null ? body : undefined;
    }, 60_000);
    assert.deepEqual([undone.node, undone.status], ['worker', 'running']);
    const abandoned = await system.call<{ entries: { data: { reason: string } }[] }>(
      'GET',
      `/audit?streamId=container-${box}&type=ContainerMoveAbandoned&order=oldest`,
    );
    const [failedReason, stopReason] = abandoned.body.entries.map(({ data }) => data.reason);
    assert.match(failedReason, /writeBackup/, 'the failed move was abandoned too');
    assert.equal(stopReason, `the Manager stopped during the move; ${box} stays on worker`);
    assert.equal(
      await sshWhenUp(key.key, sshPort, 'carol', 'cat notes'),
      'after\n',
      'started again where it ran',
    );
    assert.deepEqual(await lxd.instances(), [], 'nothing of it on node b');
    for (const dir of [backupsA, join(b.dir, 'backups')]) {
      assert.deepEqual(
        await readdir(join(dir, box)),
        [],
        `no move's backup, whole or not, is left in ${dir}`,
      );
    }

    // Node a's Worker is killed once node b restores it: the move is made, and node a's stopped copy waits for
    // that Worker to come back.
    const moving = moveTo('worker-b');
    await moveReaches('importing ');
    let moved!: Awaited<typeof moving>;
    await system.crash('worker', async () => {
      moved = await moving;
      assert.equal(moved.body.leftOn, 'worker', 'its old copy is still to be removed');
      assert.match((await run('lxc', ['info', box])).stdout, /Status: STOPPED/);
    });
    await eventually(async () => {
      const { body } = await system.call<Container>('GET', `/containers/${box}`);
      return body.leftOn === null ? true : undefined;
    }, 60_000);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(
      [moved.body.node, moved.body.status, moved.body.sshPort, moved.body.placement?.reason],
      ['worker-b', 'running', sshPort, 'moved from worker by admin'],
    );
    assert.ok(
      moved.body.ipv4?.startsWith(lxd.subnet.replace(/0\/24$/, '')),
      `${moved.body.ipv4} on node b's bridge`,
    );
    // The same box: its files, the member's key and its SSH host key, now in node b's LXD project only.
    assert.equal(
      await sshWhenUp(key.key, sshPort, 'carol', `cat notes && ${hostKey}`),
      `after\n${hostKeyBefore}`,
    );
    assert.deepEqual(await lxd.instances(), [box]);
    await assert.rejects(run('lxc', ['info', box]), 'nothing of it is left on node a');
    const restored = await system.call('POST', `/containers/${box}/snapshots/first/restore`);
    assert.equal(restored.status, 200, 'its snapshot came with it');
    assert.equal(await sshWhenUp(key.key, sshPort, 'carol', 'cat notes'), 'kept\n');
    // The snapshot was taken on node a: its files come back, not node a's address and bridge.
    const device = (key: string) =>
      run('lxc', ['config', 'device', 'get', box, 'eth0', key, '--project', lxd.name]).then(({ stdout }) =>
        stdout.trim(),
      );
    assert.deepEqual([await device('ipv4.address'), await device('network')], [moved.body.ipv4, lxd.bridge]);
    const progress = await system.call<{ operation: string; lines: string[] }>(
      'GET',
      `/containers/${box}/progress`,
    );
    assert.equal(progress.body.operation, 'move to worker-b');
    assert.ok(
      progress.body.lines.some((line) => /carried to worker-b, its SHA-256 checked there$/.test(line)),
    );
    for (const dir of [backupsA, join(b.dir, 'backups')]) {
      assert.deepEqual(await readdir(join(dir, box)), [], `no move's backup is left in ${dir}`);
    }
    const audit = await system.call<{ entries: { type: string; data: object }[] }>(
      'GET',
      `/audit?streamId=container-${box}&type=ContainerMoved`,
    );
    assert.deepEqual(
      audit.body.entries.map(({ data }) => data),
      [
        {
          name: box,
          from: 'worker',
          to: 'worker-b',
          ipv4: moved.body.ipv4,
          reason: 'moved from worker by admin',
        },
      ],
    );
    const finished = await system.call<{ entries: { actor: string; data: object }[] }>(
      'GET',
      `/audit?streamId=container-${box}&type=ContainerMoveFinished`,
    );
    assert.deepEqual(
      finished.body.entries.map(({ actor, data }) => [actor, data]),
      [['manager', { name: box, from: 'worker' }]],
      'finished by the Manager once node a came back',
    );
    // Its SSH forward is node b's Guardian's now, to its new address.
    const forwards = (netns: typeof b.guardianNetns) =>
      netns.exec('nft', 'list', 'map', 'inet', 'testausdeploy', 'forward_tcp').catch((e: Error) => e.message);
    const seen: string[] = [];
    await eventually(async () => {
      const [inA, inB] = [await forwards(system.guardianNetns), await forwards(b.guardianNetns)];
      seen.splice(0, 2, inA, inB);
      return inB.includes(`${sshPort} : ${moved.body.ipv4} . 22`) && !inA.includes(`${sshPort} :`)
        ? true
        : undefined;
    }, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; node a's map: ${seen[0]}; node b's: ${seen[1]}`);
    });

    // Its node's Worker killed: it is unreachable since then, its commands are refused and go nowhere else; the
    // container itself runs on (LXD is not the Worker), and node a's side is untouched.
    await b.crash('worker');
    const away = await eventually(async () => {
      const { body } = await system.call<Container & { unreachableSince: string | null }>(
        'GET',
        `/containers/${box}`,
      );
      return body.unreachableSince ? body : undefined;
    }, 20_000);
    const stop = await system.call<{ message: string }>('POST', `/containers/${box}/stop`);
    assert.equal(stop.status, 503);
    assert.match(stop.body.message, /^node worker-b is unreachable since .+: nothing is sent elsewhere/);
    assert.equal((await system.call<Container>('GET', `/containers/${box}`)).body.status, 'running');
    assert.equal(await ssh(key.key, sshPort, 'carol', 'cat notes'), 'kept\n');
    assert.equal((await project(onB)).unreachableSince, away.unreachableSince, "node b's project with it");
    b.launch('worker');
    await b.connected(system);
    await eventually(async () => {
      const { body } = await system.call<{ unreachableSince: string | null }>('GET', `/containers/${box}`);
      return body.unreachableSince === null ? true : undefined;
    }, 20_000);

    assert.equal((await system.call('DELETE', `/containers/${box}`, { confirm: box })).status, 204);
    assert.deepEqual(await lxd.instances(), [], 'its commands go to node b');
  });

  it('keeps a Worker enrolled while something runs on it, and drains it', async () => {
    const removed = await system.call<{ message: string }>('DELETE', '/nodes/worker-b');
    assert.equal(removed.status, 409);
    for (const repo of [onA, onB])
      assert.match(removed.body.message, new RegExp(`project ${ORG}/${repo}\\b`));
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
