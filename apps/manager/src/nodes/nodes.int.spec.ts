import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

const key = (digit: string) => digit.repeat(64);
const guardian = { name: 'guardian-1', kind: 'guardian', url: 'wss://127.0.0.1:9', fingerprint: key('a') };
const worker = {
  name: 'worker-1',
  kind: 'worker',
  url: 'wss://127.0.0.1:10',
  fingerprint: key('b'),
  guardian: 'guardian-1',
};

describe('Manager REST: the node registry (real database, nodes enrolled at addresses nobody serves)', () => {
  let manager: ManagerApp;
  const post = (body: object) => manager.http().post('/nodes').set(auth).send(body);

  before(async () => {
    manager = await ManagerApp.start('nodes');
  });

  after(() => manager.stop());

  it('needs the admin token', async () => {
    await manager.http().get('/nodes').expect(401);
    await manager.http().post('/nodes').send(guardian).expect(401);
  });

  it('enrols a guardian, then a worker it guards, and lists them with their sessions down', async () => {
    const enrolled = await post(guardian).expect(201);
    assert.equal(enrolled.body.name, 'guardian-1');
    assert.equal(enrolled.body.enrolledBy, 'admin');
    await post({ ...worker, fingerprint: key('B') }).expect(201);
    const list = await manager.http().get('/nodes').set(auth).expect(200);
    assert.deepEqual(
      list.body.map(({ name, kind, guardian: by, fingerprint, connected }: Record<string, unknown>) => ({
        name,
        kind,
        by,
        fingerprint,
        connected,
      })),
      [
        { name: 'guardian-1', kind: 'guardian', by: null, fingerprint: key('a'), connected: false },
        { name: 'worker-1', kind: 'worker', by: 'guardian-1', fingerprint: key('b'), connected: false },
      ],
    );
    const one = await manager.http().get('/nodes/worker-1').set(auth).expect(200);
    assert.equal(one.body.url, 'wss://127.0.0.1:10');
    await manager.http().get('/nodes/nobody').set(auth).expect(404);
  });

  it('refuses bad enrolments with the reason, and records nothing for them', async () => {
    const before = (await manager.http().get('/audit?type=NodeEnrolled').set(auth)).body.entries.length;
    const refusals: [object, number, RegExp][] = [
      [{ ...worker, name: 'Worker 2' }, 400, /not a valid node name/],
      [{ ...worker, name: 'w2', url: 'ws://127.0.0.1:11' }, 400, /must use wss/],
      [{ ...worker, name: 'w2', url: 'wss://127.0.0.1:11/path' }, 400, /without a path/],
      [{ ...worker, name: 'w2', fingerprint: 'not-a-key' }, 400, /64 hex digits/],
      [{ ...worker, name: 'w2', guardian: undefined }, 400, /needs a guardian/],
      [{ ...worker, name: 'w2', extra: 1 }, 400, /extra|Unrecognized/i],
      [{ ...worker, name: 'w2', kind: 'router' }, 400, /kind/],
      [
        { ...worker, name: 'w2', url: 'wss://127.0.0.1:11', fingerprint: key('c'), guardian: 'nobody' },
        409,
        /guardian "nobody" is not enrolled/,
      ],
      [
        { ...worker, name: 'w2', url: 'wss://127.0.0.1:11', fingerprint: key('c'), guardian: 'worker-1' },
        409,
        /is a worker, not a guardian/,
      ],
      [{ ...worker, url: 'wss://127.0.0.1:11', fingerprint: key('c') }, 409, /already enrolled/],
      [{ ...worker, name: 'w2', fingerprint: key('c') }, 409, /already the address of node "worker-1"/],
      [{ ...worker, name: 'w2', url: 'wss://127.0.0.1:11' }, 409, /already pinned for node "worker-1"/],
    ];
    for (const [body, status, reason] of refusals) {
      const res = await post(body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.match([res.body.message].flat().join('; '), reason);
    }
    const afterwards = (await manager.http().get('/audit?type=NodeEnrolled').set(auth)).body.entries.length;
    assert.equal(afterwards, before);
  });

  it('re-keys a node as a recorded event, and refuses the same or a taken key', async () => {
    const rotated = await manager
      .http()
      .put('/nodes/worker-1/fingerprint')
      .set(auth)
      .send({ fingerprint: key('d') })
      .expect(200);
    assert.equal(rotated.body.fingerprint, key('d'));
    assert.ok(rotated.body.keyRotatedAt);
    await manager
      .http()
      .put('/nodes/worker-1/fingerprint')
      .set(auth)
      .send({ fingerprint: key('d') })
      .expect(409);
    await manager
      .http()
      .put('/nodes/worker-1/fingerprint')
      .set(auth)
      .send({ fingerprint: key('a') })
      .expect(409);
    await manager
      .http()
      .put('/nodes/nobody/fingerprint')
      .set(auth)
      .send({ fingerprint: key('e') })
      .expect(404);
    await manager.http().put('/nodes/worker-1/fingerprint').set(auth).send({ fingerprint: 'x' }).expect(400);
    const audit = await manager.http().get('/audit?type=NodeKeyRotated').set(auth).expect(200);
    assert.deepEqual(audit.body.entries[0].data, {
      name: 'worker-1',
      fingerprint: key('d'),
      previousFingerprint: key('b'),
    });
    assert.equal(audit.body.entries[0].actor, 'admin');
  });

  it('places a deployment only on a Worker that answers, failing with the reason while none does', async () => {
    const res = await manager
      .http()
      .post('/deployments')
      .set(auth)
      .send({ org: 'testausserveri', repo: 'site', branch: 'main', composePath: 'compose.yml' })
      .expect(202);
    let view: { status: string; reason: string | null } | undefined;
    for (let tries = 0; tries < 50 && view?.status !== 'failed'; tries++) {
      view = (await manager.http().get(`/deployments/${res.body.deploymentId}`).set(auth)).body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(view?.reason, 'no node can take a new project: worker-1 is unreachable');
  });

  it('keeps a guardian that still guards a worker, removes in order, and can enrol a name again', async () => {
    const refused = await manager.http().delete('/nodes/guardian-1').set(auth).expect(409);
    assert.match(refused.body.message, /still guards "worker-1"/);
    await manager.http().delete('/nodes/worker-1').set(auth).expect(204);
    await manager.http().delete('/nodes/worker-1').set(auth).expect(404);
    await manager.http().delete('/nodes/guardian-1').set(auth).expect(204);
    assert.deepEqual((await manager.http().get('/nodes').set(auth).expect(200)).body, []);
    await post(guardian).expect(201);
    const history = await manager
      .http()
      .get('/audit?streamId=node-guardian-1&order=oldest')
      .set(auth)
      .expect(200);
    assert.deepEqual(
      history.body.entries.map((entry: { type: string }) => entry.type),
      ['NodeEnrolled', 'NodeRemoved', 'NodeEnrolled'],
    );
  });
});
