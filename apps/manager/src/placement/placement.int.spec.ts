import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FirewallState,
  IcpData,
  IcpHandlers,
  Identity,
  IcpServer,
  NodeCapacity,
  ProxyState,
} from '@testausdeploy/icp';
import { IcpFixture, sleep, standInCapacity, standInGuardian } from '../../../../test/support/icp';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ManagerConfig } from '../config/manager-config';
import { eventually } from '../../../../test/support/ports';

const ORG = 'example-org';
const GIB = 2 ** 30;

/** A stand-in Worker on 127.0.0.1 speaking ICP: it reports `capacity` and records every command it is sent. */
class StandInWorker {
  readonly asked: { command: string; repo?: string }[] = [];
  /** Repositories whose deploy it refuses, as a compose file that does not come up would. */
  readonly failing = new Set<string>();
  /** Awaited before it answers a `removeProject` (after recording it): to look around then, or to hang. */
  beforeRemoving: ((repo: string) => Promise<void>) | null = null;
  server!: IcpServer;
  port = 0;

  constructor(
    readonly name: string,
    readonly capacity: () => NodeCapacity,
    readonly publishes: number,
  ) {}

  /** What its projects run: one web container, published on the Worker's own port. */
  containers(repo: string) {
    const ports = [{ ip: '0.0.0.0', privatePort: 80, publicPort: this.publishes, protocol: 'tcp' }];
    return [{ name: `${repo}-web-1`, service: 'web', state: 'running', status: 'Up', ports }];
  }

  handlers(): IcpHandlers {
    const seen = (command: string, repo?: string) => this.asked.push({ command, repo });
    return {
      capacity: async () => this.capacity(),
      deploy: async ({ repo, routes }: IcpData<'deploy'>) => {
        seen('deploy', repo);
        if (this.failing.has(repo)) throw new Error('the containers did not come up');
        return {
          commit: 'a'.repeat(40),
          composeDigest: `sha256:${'b'.repeat(64)}`,
          containers: this.containers(repo),
          upstreams: routes?.map(({ service, port }) => ({ service, port, address: '10.210.0.2' })),
          diskBytes: 1,
        };
      },
      lifecycle: async ({ repo, action }: IcpData<'lifecycle'>) => {
        seen(action, repo);
        return { containers: action === 'start' || action === 'restart' ? this.containers(repo) : [] };
      },
      removeProject: async ({ repo }: IcpData<'removeProject'>) => {
        seen('removeProject', repo);
        await this.beforeRemoving?.(repo);
        return {};
      },
      usage: async ({ repo }: IcpData<'usage'>) => {
        seen('usage', repo);
        return { containers: [] };
      },
    };
  }
}

/**
 * A stand-in Guardian: takes every firewall and proxy state it is sent and keeps the last of each. A slow one
 * answers `answerAfterMs` later, or once `held` resolves, and keeps the states it answered for apart.
 */
class StandInGuardian {
  firewall: FirewallState | null = null;
  routes: ProxyState | null = null;
  answerAfterMs = 0;
  held: Promise<void> | null = null;
  answered: { firewall: FirewallState | null; routes: ProxyState | null } = { firewall: null, routes: null };
  port = 0;

  handlers(): IcpHandlers {
    const slowly = async () => {
      await sleep(this.answerAfterMs);
      await this.held;
    };
    return {
      applyFirewall: async (state) => {
        this.firewall = state;
        await slowly();
        return standInGuardian.firewall((this.answered.firewall = state));
      },
      applyRoutes: async (state) => {
        this.routes = state;
        await slowly();
        return standInGuardian.routes((this.answered.routes = state));
      },
    };
  }
}

const owners = (state: { open: { owner: string }[] } | { routes: { owner: string }[] } | null) =>
  state ? ('open' in state ? state.open : state.routes).map(({ owner }) => owner) : [];

const capacity = (memoryFreeGiB: number, engine: string): NodeCapacity => ({
  ...standInCapacity(engine),
  memory: { totalBytes: 16 * GIB, availableBytes: memoryFreeGiB * GIB },
  repositories: { totalBytes: 100 * GIB, freeBytes: 90 * GIB },
});
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const env = { ALLOWED_ORGS: ORG, CAPACITY_INTERVAL_MS: '200' };

describe('placement across two nodes (real database; stand-in Workers and Guardians speaking ICP on 127.0.0.1)', () => {
  let manager: ManagerApp;
  let icp: IcpFixture;
  let managerKey: Identity;
  const freeGiB: Record<string, number> = { a: 4, b: 12 };
  /** The Docker engine each reports. */
  const engines: Record<string, string> = { a: 'engine-a', b: 'engine-b' };
  const workers = {
    a: new StandInWorker('worker-a', () => capacity(freeGiB.a, engines.a), 8001),
    b: new StandInWorker('worker-b', () => capacity(freeGiB.b, engines.b), 8002),
  };
  const guardians = { a: new StandInGuardian(), b: new StandInGuardian() };
  let workerKeys: Record<'a' | 'b', Identity>;

  const deploy = (repo: string, extra: object = {}, who: Record<string, string> = auth) =>
    manager
      .http()
      .post('/deployments')
      .set(who)
      .send({ org: ORG, repo, ...extra });
  const outcome = (id: string) =>
    eventually(async () => {
      const { body } = await manager.http().get(`/deployments/${id}`).set(auth);
      return body.status === 'requested' ? undefined : (body as { status: string; reason: string | null });
    }, 10_000);
  const project = async (repo: string) =>
    (await manager.http().get(`/projects/${ORG}/${repo}`).set(auth).expect(200)).body;
  const move = (repo: string, node: string, who: Record<string, string> = auth) =>
    manager.http().post(`/projects/${ORG}/${repo}/move`).set(who).send({ node });
  /** Once the old copy of its last move is removed, and that is recorded. */
  const moveFinished = (repo: string) =>
    eventually(async () => ((await project(repo)).placement.leftOn.length === 0 ? true : undefined), 10_000);
  const eventTypes = async (repo: string) =>
    (
      await manager.http().get(`/audit?streamId=project-${ORG}/${repo}&order=oldest`).set(auth).expect(200)
    ).body.entries.map(({ type }: { type: string }) => type);
  /** Once the Manager has every Worker's capacity: placement and moves wait for it. */
  const capacitiesReported = () =>
    eventually(async () => {
      const { body } = await manager.http().get('/nodes').set(auth);
      return body.every(
        (node: { kind: string; capacity: unknown }) => node.kind === 'guardian' || node.capacity,
      )
        ? true
        : undefined;
    }, 10_000);
  const listen = async (node: 'a' | 'b', port = 0) => {
    const { server, port: bound } = await icp.server(
      workerKeys[node],
      () => [managerKey.fingerprint],
      workers[node].handlers(),
      { port },
    );
    workers[node].server = server;
    workers[node].port = bound;
  };

  before(async () => {
    manager = await ManagerApp.start('placement', env);
    managerKey = manager.app.get(Identity);
    icp = await IcpFixture.create();
    const [keyA, keyB, guardA, guardB] = await icp.identities(
      'worker-a',
      'worker-b',
      'guardian-a',
      'guardian-b',
    );
    workerKeys = { a: keyA, b: keyB };
    await listen('a');
    await listen('b');
    for (const [node, key] of [
      ['a', guardA],
      ['b', guardB],
    ] as const) {
      const { port } = await icp.server(key, () => [managerKey.fingerprint], guardians[node].handlers());
      const enrol = (body: object) => manager.http().post('/nodes').set(auth).send(body).expect(201);
      await enrol({
        name: `guardian-${node}`,
        kind: 'guardian',
        url: `wss://127.0.0.1:${port}`,
        fingerprint: key.fingerprint,
      });
      await enrol({
        name: `worker-${node}`,
        kind: 'worker',
        url: `wss://127.0.0.1:${workers[node].port}`,
        fingerprint: workerKeys[node].fingerprint,
        guardian: `guardian-${node}`,
      });
    }
    await capacitiesReported();
  });

  after(async () => {
    await icp?.cleanUp();
    await manager?.stop();
  });

  it('places a new project on the node with the most free capacity, records why, and sends its commands there only', async () => {
    const { deploymentId } = (await deploy('roomy').expect(202)).body;
    assert.equal((await outcome(deploymentId)).status, 'succeeded');
    const { placement } = await project('roomy');
    assert.equal(placement.node, 'worker-b');
    assert.equal(placement.rule, 'capacity');
    assert.equal(
      placement.reason,
      'most free capacity: 75% of memory free, its scarcest resource (worker-a 25%)',
    );
    assert.deepEqual(workers.b.asked, [{ command: 'deploy', repo: 'roomy' }]);
    await manager.http().post(`/deployments/${deploymentId}/stop`).set(auth).expect(200);
    await manager.http().get(`/deployments/${deploymentId}/containers`).set(auth).expect(200);
    assert.deepEqual(workers.b.asked.slice(1), [
      { command: 'stop', repo: 'roomy' },
      { command: 'usage', repo: 'roomy' },
    ]);
    assert.deepEqual(workers.a.asked, []);
    const audit = await manager.http().get(`/audit?streamId=project-${ORG}/roomy`).set(auth).expect(200);
    assert.deepEqual(
      audit.body.entries.map(({ type }: { type: string }) => type),
      ['ProjectPlaced'],
    );
  });

  it("gives each Guardian the firewall of its own node's projects only", async () => {
    const started = await manager
      .http()
      .post(`/deployments/${(await project('roomy')).latest.deploymentId}/start`)
      .set(auth);
    assert.equal(started.status, 200, started.body.message);
    freeGiB.a = 14; // a is now the freer node
    await eventually(async () => {
      const { body } = await manager.http().get('/nodes/worker-a').set(auth);
      return body.capacity.memory.availableBytes === 14 * GIB ? true : undefined;
    }, 5000);
    const { deploymentId } = (await deploy('second').expect(202)).body;
    assert.equal((await outcome(deploymentId)).status, 'succeeded');
    assert.equal((await project('second')).placement.node, 'worker-a');
    await eventually(async () => {
      const owners = (guardian: StandInGuardian) => guardian.firewall?.open.map(({ owner }) => owner) ?? [];
      return owners(guardians.a).join() === `project:${ORG}/second` &&
        owners(guardians.b).join() === `project:${ORG}/roomy`
        ? true
        : undefined;
    }, 10_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify([guardians.a.firewall, guardians.b.firewall])}`);
    });
  });

  it('follows labels, an admin’s named node and draining, and refuses what no node can take with every reason', async () => {
    await manager
      .http()
      .put('/nodes/worker-b/labels')
      .set(auth)
      .send({ labels: ['gpu'] })
      .expect(200);
    const { deploymentId } = (await deploy('trainer', { labels: ['gpu'] }).expect(202)).body;
    assert.equal((await outcome(deploymentId)).status, 'succeeded');
    assert.deepEqual(
      [(await project('trainer')).placement.node, (await project('trainer')).placement.rule],
      ['worker-b', 'labels'],
    );
    const tpu = await deploy('other', { labels: ['tpu'] }).expect(409);
    assert.equal(tpu.body.message, 'no node can take a new project: worker-a lacks tpu; worker-b lacks tpu');
    // A project placed elsewhere is not moved by a request.
    const moved = await deploy('second', { node: 'worker-b' }).expect(409);
    assert.match(
      moved.body.message,
      /runs on worker-a, not worker-b: an admin moves it with POST \/projects\/example-org\/second\/move$/,
    );
    await manager.http().put('/nodes/worker-a/draining').set(auth).send({ draining: true }).expect(200);
    await manager.http().put('/nodes/worker-a/draining').set(auth).send({ draining: true }).expect(409);
    const named = await deploy('pinned', { node: 'worker-a' }).expect(409);
    assert.match(named.body.message, /worker-a is being drained/);
    const { deploymentId: next } = (await deploy('next').expect(202)).body;
    await outcome(next);
    assert.equal((await project('next')).placement.node, 'worker-b', 'a drained node takes nothing new');
    // What runs on the drained node stays, and is still served there.
    const { deploymentId: again } = (await deploy('second').expect(202)).body;
    assert.equal((await outcome(again)).status, 'succeeded');
    assert.equal(workers.a.asked.filter(({ command }) => command === 'deploy').length, 2);
    await manager.http().put('/nodes/worker-a/draining').set(auth).send({ draining: false }).expect(200);
    const { deploymentId: chosen } = (await deploy('chosen', { node: 'worker-a' }).expect(202)).body;
    await outcome(chosen);
    assert.deepEqual((await project('chosen')).placement, {
      ...(await project('chosen')).placement,
      node: 'worker-a',
      rule: 'named',
      reason: 'worker-a was named in the request',
      by: 'admin',
    });
  });

  it('refuses a member naming a node, bad labels and labels on a Guardian, with the reason', async () => {
    const token = (await manager.http().post('/members').set(auth).send({ name: 'mallory' }).expect(201)).body
      .token;
    const refused = await deploy('sneaky', { node: 'worker-a' }, bearer(token)).expect(403);
    assert.match(refused.body.message, /only an admin can name the node/);
    await deploy('sneaky', { labels: ['Not A Label'] }).expect(400);
    await manager
      .http()
      .put('/nodes/worker-a/labels')
      .set(auth)
      .send({ labels: ['x'.repeat(40)] })
      .expect(400);
    await manager
      .http()
      .put('/nodes/guardian-a/labels')
      .set(auth)
      .send({ labels: ['gpu'] })
      .expect(409);
  });

  it('shows a node that went away as unreachable, refuses its projects’ commands with 503, and leaves the other node alone', async () => {
    const { latest } = await project('roomy');
    const port = workers.b.port;
    await workers.b.server.close();
    const down = await eventually(async () => {
      const { body } = await manager.http().get('/nodes/worker-b').set(auth);
      return body.unreachableSince ? body : undefined;
    }, 10_000);
    assert.equal(down.connected, false);
    assert.deepEqual(down.projects, [`${ORG}/next`, `${ORG}/roomy`, `${ORG}/trainer`]);
    assert.equal((await project('roomy')).unreachableSince, down.unreachableSince);
    const stop = await manager.http().post(`/deployments/${latest.deploymentId}/stop`).set(auth).expect(503);
    assert.match(stop.body.message, /^node worker-b is unreachable since .*: nothing is sent elsewhere/);
    await deploy('roomy').expect(503);
    const before = workers.a.asked.length;
    const { deploymentId } = (await deploy('second').expect(202)).body;
    assert.equal((await outcome(deploymentId)).status, 'succeeded', 'the other node deploys on');
    assert.equal(workers.a.asked.length, before + 1);
    assert.equal((await project('second')).unreachableSince, null);
    // Back on its address: its session opens again, and its projects' commands go to it.
    await listen('b', port);
    await eventually(
      async () => ((await project('roomy')).unreachableSince === null ? true : undefined),
      10_000,
    );
    await manager.http().post(`/deployments/${latest.deploymentId}/stop`).set(auth).expect(200);
    assert.deepEqual(workers.b.asked.at(-1), { command: 'stop', repo: 'roomy' });
  });

  it('removes a Worker only once nothing is placed on it', async () => {
    const refused = await manager.http().delete('/nodes/worker-a').set(auth).expect(409);
    assert.match(
      refused.body.message,
      /^node "worker-a" still runs project example-org\/chosen, project example-org\/second: move or remove them first$/,
    );
  });

  it('moves a running project: deployed on the new node, switched there, removed where it ran; a failed move changes nothing', async () => {
    const stopped = await move('roomy', 'worker-a').expect(409);
    assert.match(
      stopped.body.message,
      /^only a project that runs moves: the newest deployment of example-org\/roomy is stopped$/,
    );
    assert.match((await move('second', 'worker-a').expect(409)).body.message, /runs on worker-a already/);
    await move('second', 'Not A Node').expect(400);
    // Two Workers on one Docker engine: the new copy would take the old one's containers over.
    const reported = (engine: string) =>
      eventually(async () => {
        const { body } = await manager.http().get('/nodes').set(auth);
        const b = body.find(({ name }: { name: string }) => name === 'worker-b');
        return b.capacity?.dockerEngine === engine ? true : undefined;
      }, 10_000);
    engines.b = 'engine-a';
    try {
      await reported('engine-a');
      assert.match(
        (await move('second', 'worker-b').expect(409)).body.message,
        /^worker-a and worker-b run projects on one Docker engine: /,
      );
    } finally {
      engines.b = 'engine-b';
      await reported('engine-b');
    }
    await move('second', 'worker-c').expect(400);
    const token = (await manager.http().post('/members').set(auth).send({ name: 'mover' }).expect(201)).body
      .token;
    await move('second', 'worker-b', bearer(token)).expect(403);

    const { deploymentId } = (await move('second', 'worker-b').expect(202)).body;
    const moved = await outcome(deploymentId);
    assert.equal(moved.status, 'succeeded', moved.reason ?? '');
    const { placement } = await project('second');
    assert.deepEqual(
      [placement.node, placement.rule, placement.reason],
      ['worker-b', 'moved', 'moved from worker-a'],
    );
    assert.deepEqual(workers.b.asked.at(-1), { command: 'deploy', repo: 'second' });
    await moveFinished('second');
    assert.deepEqual(workers.a.asked.at(-1), { command: 'removeProject', repo: 'second' });
    const deployment = (await manager.http().get(`/deployments/${deploymentId}`).set(auth)).body;
    assert.equal(deployment.moveTo, 'worker-b');
    await eventually(async () => {
      const owners = (guardian: StandInGuardian) => guardian.firewall?.open.map(({ owner }) => owner) ?? [];
      return owners(guardians.b).includes(`project:${ORG}/second`) &&
        !owners(guardians.a).includes(`project:${ORG}/second`)
        ? true
        : undefined;
    }, 10_000);
    assert.deepEqual(await eventTypes('second'), ['ProjectPlaced', 'ProjectMoved', 'ProjectMoveFinished']);

    workers.a.failing.add('next');
    const { deploymentId: failing } = (await move('next', 'worker-a').expect(202)).body;
    const failed = await outcome(failing);
    assert.equal(failed.status, 'failed');
    assert.match(
      failed.reason ?? '',
      /^moving to worker-a failed, and example-org\/next runs on where it ran: /,
    );
    assert.equal((await project('next')).placement.node, 'worker-b');
    assert.deepEqual(
      workers.a.asked.at(-1),
      { command: 'removeProject', repo: 'next' },
      'the new node is cleared',
    );
    // The failed move replaced nothing: the version that runs is still acted on, and the move can be tried again.
    workers.a.failing.delete('next');
    const { deploymentId: again } = (await move('next', 'worker-a').expect(202)).body;
    assert.equal((await outcome(again)).status, 'succeeded');
    assert.equal((await project('next')).placement.node, 'worker-a');
    await moveFinished('next');
  });

  it("removes a moved project's old copy only once the new node's Guardian has taken its rules and routes", async () => {
    await manager
      .http()
      .put(`/projects/${ORG}/chosen/routes`)
      .set(auth)
      .send({ routes: [{ service: 'web', port: 80, hosts: ['chosen.example.org'] }] })
      .expect(200);
    const atRemoval: { firewall: string[]; routes: string[]; leftOn: string[] }[] = [];
    workers.a.beforeRemoving = async () => {
      const { firewall, routes } = guardians.b.answered;
      const { leftOn } = (await project('chosen')).placement;
      atRemoval.push({ firewall: owners(firewall), routes: owners(routes), leftOn });
    };
    guardians.b.answerAfterMs = 400;
    try {
      const { deploymentId } = (await move('chosen', 'worker-b').expect(202)).body;
      assert.equal((await outcome(deploymentId)).status, 'succeeded');
      await moveFinished('chosen');
    } finally {
      workers.a.beforeRemoving = null;
      guardians.b.answerAfterMs = 0;
    }
    const chosen = `project:${ORG}/chosen`;
    assert.equal(atRemoval.length, 1);
    assert.ok(atRemoval[0].firewall.includes(chosen), `guardian-b's rules then: ${atRemoval[0].firewall}`);
    assert.ok(atRemoval[0].routes.includes(chosen), `guardian-b's routes then: ${atRemoval[0].routes}`);
    assert.deepEqual(atRemoval[0].leftOn, ['worker-a'], 'the project page shows the old copy meanwhile');
    assert.deepEqual(workers.a.asked.at(-1), { command: 'removeProject', repo: 'chosen' });
  });

  it('removes the old copy when the old node comes back, if it was away when the move ended', async () => {
    // guardian-a confirms only once worker-b is away: the removal then finds worker-b unreachable.
    let release!: () => void;
    guardians.a.held = new Promise((resolve) => (release = resolve));
    const port = workers.b.port;
    const { deploymentId } = (await move('chosen', 'worker-a').expect(202)).body;
    try {
      assert.equal((await outcome(deploymentId)).status, 'succeeded');
      await workers.b.server.close();
      await eventually(async () => ((await project('trainer')).unreachableSince ? true : undefined), 10_000);
    } finally {
      release();
      guardians.a.held = null;
    }
    const { lines } = await eventually(async () => {
      const { body } = await manager.http().get(`/deployments/${deploymentId}/logs`).set(auth).expect(200);
      return body.running ? undefined : (body as { lines: string[] });
    }, 10_000);
    assert.match(lines.join('\n'), /not removed from worker-b yet: node worker-b is unreachable since /);
    assert.deepEqual((await project('chosen')).placement.leftOn, ['worker-b']);
    const removals = () =>
      workers.b.asked.filter(({ command, repo }) => command === 'removeProject' && repo === 'chosen').length;
    assert.equal(removals(), 0);

    await listen('b', port);
    await moveFinished('chosen');
    assert.equal(removals(), 1);
    assert.deepEqual((await eventTypes('chosen')).slice(-2), ['ProjectMoved', 'ProjectMoveFinished']);
  });

  it('finishes a move when the Manager starts again, if it stopped between the switch and the removal', async () => {
    // worker-b does not answer the removal: the Manager stops before it knows the old copy is gone.
    let asked!: () => void;
    const removing = new Promise<void>((resolve) => (asked = resolve));
    let answer!: () => void;
    workers.b.beforeRemoving = async () => {
      asked();
      await new Promise<void>((resolve) => (answer = resolve));
    };
    const { deploymentId } = (await move('second', 'worker-a').expect(202)).body;
    await removing;
    const { MONGO_URL } = manager.app.get(ManagerConfig);
    await manager.stopKeepingDatabase();
    workers.b.beforeRemoving = null;
    answer();
    const removals = () =>
      workers.b.asked.filter(({ command, repo }) => command === 'removeProject' && repo === 'second').length;
    assert.equal(removals(), 1);

    manager = await ManagerApp.start('placement', { ...env, MONGO_URL });
    managerKey = manager.app.get(Identity);
    await capacitiesReported();
    assert.equal((await outcome(deploymentId)).status, 'succeeded');
    await moveFinished('second');
    assert.equal(removals(), 2);
    assert.equal((await project('second')).placement.node, 'worker-a');
    assert.deepEqual((await eventTypes('second')).slice(-2), ['ProjectMoved', 'ProjectMoveFinished']);
  });

  it("keeps a node enrolled while a moved project's old copy is on it, and removes that copy with the project", async () => {
    // guardian-b holds its answer: the move of `chosen` (on worker-a now) to worker-b stays unfinished meanwhile.
    let release!: () => void;
    guardians.b.held = new Promise((resolve) => (release = resolve));
    const removals = () =>
      workers.a.asked.filter(({ command, repo }) => command === 'removeProject' && repo === 'chosen').length;
    const before = removals();
    try {
      const { deploymentId } = (await move('chosen', 'worker-b').expect(202)).body;
      assert.equal((await outcome(deploymentId)).status, 'succeeded');
      assert.deepEqual((await project('chosen')).placement.leftOn, ['worker-a']);
      const refused = await manager.http().delete('/nodes/worker-a').set(auth).expect(409);
      assert.match(refused.body.message, /, the old copy of project example-org\/chosen[,:]/);
      await manager
        .http()
        .delete(`/projects/${ORG}/chosen`)
        .set(auth)
        .send({ confirm: `${ORG}/chosen` })
        .expect(204);
      assert.equal(removals(), before + 1, 'the old copy goes first, without waiting for guardian-b');
    } finally {
      release();
      guardians.b.held = null;
    }
    assert.deepEqual((await eventTypes('chosen')).slice(-3), [
      'ProjectMoved',
      'ProjectMoveFinished',
      'ProjectRemoved',
    ]);
  });
});
