import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Db, Document } from 'mongodb';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { DeploymentsProjection } from '../deployments/projections/deployments.projection';
import { ReadModels } from './read-models';

const DEPLOYMENTS = 1500;

/** Every document of a read model in a stable order, without storage-generated ids (string ids carry meaning). */
async function snapshot(readModels: ReadModels, name: string): Promise<Document[]> {
  const documents = await readModels.collection(name).find().toArray();
  return documents
    .map(({ _id, ...rest }) => JSON.parse(JSON.stringify(typeof _id === 'string' ? { _id, ...rest } : rest)))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('read models: rebuilt from the log, equal to the live ones', () => {
  let manager: ManagerApp;
  let readModels: ReadModels;
  let store: EventStore;

  before(async () => {
    manager = await ManagerApp.start('read-models', { ALLOWED_ORGS: 'alpha,beta,gamma' });
    readModels = manager.get(ReadModels);
    store = manager.get(EventStore);
    // A workload of a few thousand events over hundreds of streams, as the Manager records them.
    const orgs = ['alpha', 'beta', 'gamma'];
    await Promise.all(
      Array.from({ length: DEPLOYMENTS }, async (_, n) => {
        const deploymentId = randomUUID();
        const streamId = `deployment-${deploymentId}`;
        const cause = { actor: n % 2 ? 'alice' : 'bob', correlationId: deploymentId, causationId: null };
        const source = {
          org: orgs[n % 3],
          repo: `repo-${n % 40}`,
          branch: 'main',
          composePath: 'compose.yml',
        };
        await store.append(
          streamId,
          0,
          [{ type: 'DeploymentRequested', data: { deploymentId, ...source, requestedBy: cause.actor } }],
          cause,
        );
        const outcome =
          n % 4 === 0
            ? { type: 'DeploymentFailed', data: { deploymentId, reason: `compose failed ${n}` } }
            : {
                type: 'DeploymentSucceeded',
                data: {
                  deploymentId,
                  commit: n.toString(16).padStart(40, '0'),
                  composeDigest: `sha256:${'c'.repeat(64)}`,
                  containers: [
                    {
                      name: `c${n}`,
                      service: 'web',
                      state: n % 3 ? 'running' : 'exited',
                      status: 'Up',
                      ports: [],
                    },
                  ],
                },
              };
        await store.append(streamId, 1, [outcome], { ...cause, actor: 'system' });
        if (n % 5 === 0) await store.append(streamId, 2, [{ type: 'DeploymentNoted', data: { n } }], cause);
      }),
    );
    assert.ok(await readModels.waitFor(await store.headPosition()), 'live read models did not catch up');
  });

  after(() => manager.stop());

  for (const name of ['deployments', 'audit', 'stats']) {
    it(`rebuilds ${name} from position 0 into a fresh collection equal to the live one`, async () => {
      const live = await snapshot(readModels, name);
      assert.ok(live.length >= (name === 'audit' ? 2 * DEPLOYMENTS : 40));
      const taken = readModels.collection(name);
      const before = taken.collectionName;
      const answered: number[] = [];
      const querying = (async () => {
        // Queries keep being answered, from the old collection, while the rebuild runs.
        for (let n = 0; n < 5; n++) {
          answered.push((await manager.http().get('/stats').set(auth)).status);
        }
      })();
      const res = await manager.http().post(`/admin/projections/${name}/rebuild`).set(auth);
      await querying;
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.position, await store.headPosition());
      assert.notEqual(readModels.collection(name).collectionName, before);
      assert.deepEqual(await snapshot(readModels, name), live);
      assert.deepEqual(answered, [200, 200, 200, 200, 200]);
      // A query that took the old collection just before the swap still reads it whole.
      assert.equal(await taken.countDocuments(), live.length);
    });
  }

  it('rebuilds every read model on one request, saying meanwhile how far each has come', async () => {
    const live = await Promise.all(readModels.names().map((name) => snapshot(readModels, name)));
    const head = await store.headPosition();
    let done = false;
    const rebuilding = manager
      .http()
      .post('/admin/projections/rebuild')
      .set(auth)
      .then((answer) => ((done = true), answer));
    const seen: { name: string; position: number; head: number }[] = [];
    while (!done) {
      const { body } = await manager.http().get('/admin/projections').set(auth).expect(200);
      seen.push(...body.rebuilding);
    }
    const res = await rebuilding;
    assert.ok(seen.length > 0, 'the rebuild was never seen under way');
    assert.ok(seen.every((one) => one.position <= one.head && one.head <= head));
    assert.ok(new Set(seen.map((one) => one.name)).size >= 2, 'every read model rebuilt is listed');
    assert.deepEqual((await manager.http().get('/admin/projections').set(auth)).body.rebuilding, []);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.rebuilt.map((result: { name: string }) => result.name).sort(), [
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
    const rebuilt = await Promise.all(readModels.names().map((name) => snapshot(readModels, name)));
    assert.deepEqual(rebuilt, live);
  });

  it('ends each read model as if once when a restart gets events again', async () => {
    const live = await Promise.all(readModels.names().map((name) => snapshot(readModels, name)));
    const head = await store.headPosition();
    // A Manager that wrote its read models but died before recording how far: the checkpoints lag behind.
    for (const checkpoint of [head - 1000, 0]) {
      await readModels.onApplicationShutdown();
      await manager
        .get(Db)
        .collection('projections')
        .updateMany({}, { $set: { position: checkpoint } });
      await readModels.onApplicationBootstrap();
      assert.ok(await readModels.waitFor(head), 'the restarted read models did not catch up');
      const again = await Promise.all(readModels.names().map((name) => snapshot(readModels, name)));
      assert.deepEqual(again, live, `from checkpoint ${checkpoint}`);
    }
  });

  it('rebuilds a read model built by another version of its projection when it starts', async () => {
    const live = await snapshot(readModels, 'deployments');
    await readModels.onApplicationShutdown();
    const db = manager.get(Db);
    const state = await db
      .collection<{ _id: string; collection: string }>('projections')
      .findOne({ _id: 'deployments' });
    // What an older Manager left: its own document shape, and no version recorded.
    await db.collection(state!.collection).insertOne({ id: 'from-an-older-version', status: 'requested' });
    await db
      .collection('projections')
      .updateOne({ _id: 'deployments' } as never, { $unset: { version: '' } });
    await readModels.onApplicationBootstrap();
    assert.deepEqual(await snapshot(readModels, 'deployments'), live);
    const after = await db.collection('projections').findOne({ _id: 'deployments' } as never);
    assert.equal(after?.version, manager.get(DeploymentsProjection).version);
    assert.notEqual(after?.collection, state!.collection);
  });

  it('refuses to rebuild a read model that does not exist', async () => {
    const res = await manager.http().post('/admin/projections/nope/rebuild').set(auth);
    assert.equal(res.status, 404);
    assert.match(res.body.message, /no read model "nope"/);
  });

  it('summarises deployments per day and per organisation', async () => {
    const { body } = await manager.http().get('/stats').set(auth).expect(200);
    assert.equal(body.overall.requested, DEPLOYMENTS);
    assert.equal(body.overall.failed, DEPLOYMENTS / 4);
    assert.equal(body.overall.successRate, 0.75);
    assert.equal(
      body.perDay.reduce((sum: number, day: { requested: number }) => sum + day.requested, 0),
      DEPLOYMENTS,
    );
    const alpha = body.perOrg.find((org: { org: string }) => org.org === 'alpha');
    assert.equal(alpha.requested, DEPLOYMENTS / 3);
    assert.ok(alpha.runningContainers >= 0 && alpha.runningContainers <= 40);
  });

  it('builds the deployments read model as of an earlier position', async () => {
    const all = await manager.http().get('/deployments?limit=500').set(auth).expect(200);
    assert.equal(all.body.length, 500);
    const early = await manager.http().get('/deployments?asOf=10').set(auth).expect(200);
    assert.ok(early.body.length >= 1 && early.body.length <= 10);
    const nothing = await manager.http().get('/deployments?asOf=0').set(auth).expect(200);
    assert.deepEqual(nothing.body, []);
    const before = await manager.http().get('/deployments?asOf=2000-01-01T00:00:00Z').set(auth).expect(200);
    assert.deepEqual(before.body, []);
    await manager.http().get('/deployments?asOf=yesterday').set(auth).expect(400);
  });
});
