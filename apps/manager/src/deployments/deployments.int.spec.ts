import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Db } from 'mongodb';
import { Deployment } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { eventually } from '../../../../test/support/ports';
import { ReadModels } from '../events/read-models';
import { UnfinishedDeployments } from './sagas/unfinished-deployments';
import { SourceLocks } from './source-locks';

describe('Manager REST: deployments (real database, no Worker reachable)', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('manager-rest', { ALLOWED_ORGS: 'testausserveri, Example-Org' });
  });

  after(() => manager.stop());

  const post = (body: object, headers: Record<string, string> = auth) =>
    manager.http().post('/deployments').set(headers).send(body);

  it('requires a valid bearer token everywhere but /health', async () => {
    await manager.http().get('/health').expect(200);
    await manager.http().get('/deployments').expect(401);
    const wrong = await manager.http().get('/deployments').set({ Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /not valid/);
  });

  it('refuses an organisation that is not on the allow-list with 403 and the reason', async () => {
    const res = await post({ org: 'evil-corp', repo: 'x' });
    assert.equal(res.status, 403);
    assert.match(res.body.message, /"evil-corp" is not on the allow-list/);
  });

  it('refuses malformed bodies and escaping compose paths with 400 and the reason', async () => {
    const missing = await post({ repo: 'x' });
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(missing.body.message), /org/);
    const extra = await post({ org: 'testausserveri', repo: 'x', privileged: true });
    assert.equal(extra.status, 400);
    const escape = await post({ org: 'testausserveri', repo: 'x', composePath: '../../etc/compose.yml' });
    assert.equal(escape.status, 400);
    assert.match(String(escape.body.message), /must not contain "\.\." segments/);
    const branch = await post({ org: 'testausserveri', repo: 'x', branch: '--upload-pack=touch /tmp/x' });
    assert.equal(branch.status, 400);
    const badId = await manager.http().get('/deployments/not-a-uuid').set(auth);
    assert.equal(badId.status, 400);
  });

  it('accepts a request with 202, records it, and records the failure when no Worker answers', async () => {
    const res = await post({ org: 'example-org', repo: 'site', branch: 'main', composePath: 'compose.yml' });
    assert.equal(res.status, 202);
    const { deploymentId } = res.body as { deploymentId: string };
    assert.match(deploymentId, /^[0-9a-f-]{36}$/);

    let view: { status: string; reason: string | null; requestedBy: string } | undefined;
    for (let tries = 0; tries < 50 && view?.status !== 'failed'; tries++) {
      view = (await manager.http().get(`/deployments/${deploymentId}`).set(auth).expect(200)).body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(view?.status, 'failed');
    assert.match(view?.reason ?? '', /no Worker is enrolled/);
    const log = await manager.http().get(`/deployments/${deploymentId}/logs`).set(auth).expect(200);
    assert.deepEqual(log.body, { lines: [], truncated: false, running: false });
    await manager.http().get(`/deployments/${crypto.randomUUID()}/logs`).set(auth).expect(404);
    assert.equal(view?.requestedBy, 'admin');

    const list = await manager.http().get('/deployments').set(auth).expect(200);
    assert.ok(list.body.some((item: { id: string }) => item.id === deploymentId));
    // Pages after the first: `offset` passes over the newest; past the end is an empty page.
    const ids = async (query: string) =>
      (await manager.http().get(`/deployments?${query}`).set(auth).expect(200)).body.map(
        ({ id }: { id: string }) => id,
      );
    await post({ org: 'example-org', repo: 'site-two' }).expect(202);
    const all = await ids('limit=500');
    assert.ok(all.length >= 2);
    assert.deepEqual([...(await ids('limit=1')), ...(await ids('limit=1&offset=1'))], all.slice(0, 2));
    assert.deepEqual(await ids(`offset=${all.length}`), []);
    const bad = await manager.http().get('/deployments?offset=-1').set(auth);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.message), /offset/);
    await manager.http().get(`/deployments/${crypto.randomUUID()}`).set(auth).expect(404);
  });

  it('takes a repository in any case as one: new requests and events recorded before names were lowercased', async () => {
    const res = await post({ org: 'Example-Org', repo: 'Mixed.Case' });
    assert.equal(res.status, 202);
    const fresh = await manager.http().get(`/deployments/${res.body.deploymentId}`).set(auth).expect(200);
    assert.equal(fresh.body.repo, 'mixed.case');

    // An event as a Manager of schema version 1 wrote it, with the repository as the request spelled it.
    const before = new EventStore(manager.get(Db), { source: 'manager' });
    const id = randomUUID();
    const data = {
      deploymentId: id,
      org: 'example-org',
      repo: 'Legacy-Site',
      branch: 'main',
      composePath: 'c.yml',
      requestedBy: 'admin',
    };
    await before.append(Deployment.streamId(id), 0, [{ type: 'DeploymentRequested', data }], {
      actor: 'admin',
      correlationId: id,
      causationId: null,
    });
    const stored = await manager
      .get(Db)
      .collection('events')
      .findOne({ streamId: Deployment.streamId(id) });
    assert.equal(stored?.schemaVersion, 1);
    assert.equal(stored?.data.repo, 'Legacy-Site', 'the stored event is never rewritten');
    let view: { repo?: string } = {};
    for (let tries = 0; tries < 50 && view.repo === undefined; tries++) {
      view = (await manager.http().get(`/deployments/${id}`).set(auth)).body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(view.repo, 'legacy-site');
    assert.equal((await manager.http().get('/audit/verify').set(auth).expect(200)).body.ok, true);
  });

  it('answers a repeated Idempotency-Key with the deployment the first request created', async () => {
    const body = { org: 'testausserveri', repo: 'retried' };
    const key = { ...auth, 'Idempotency-Key': 'retry-7f3a' };
    const first = await post(body, key);
    const again = await post(body, key);
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(again.body.deploymentId, first.body.deploymentId);
    const list = await manager.http().get('/deployments').set(auth).expect(200);
    assert.equal(list.body.filter((view: { repo: string }) => view.repo === 'retried').length, 1);
    const bad = await post(body, { ...auth, 'Idempotency-Key': 'has spaces in it' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message.join('\n'), /^Idempotency-Key header: /m);
  });
});

describe('deployments left "requested" by a Manager that stopped', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('unfinished');
  });

  after(() => manager.stop());

  it('are run again when the Manager starts, and end in a definite state', async () => {
    const deploymentId = crypto.randomUUID();
    // Recorded straight into the log, the way a Manager that died before its saga ran would have left it.
    const { events } = await manager.get(EventStore).append(
      `deployment-${deploymentId}`,
      0,
      [
        {
          type: 'DeploymentRequested',
          data: {
            deploymentId,
            org: 'testausserveri',
            repo: 'site',
            branch: 'main',
            composePath: 'compose.yml',
            requestedBy: 'admin',
          },
        },
      ],
      { actor: 'admin', correlationId: deploymentId, causationId: null },
    );
    await manager.get(ReadModels).waitFor(events[0].position);
    const before = await manager.http().get(`/deployments/${deploymentId}`).set(auth).expect(200);
    assert.equal(before.body.status, 'requested');
    await manager.get(UnfinishedDeployments).resume();
    const after = await manager.http().get(`/deployments/${deploymentId}`).set(auth).expect(200);
    assert.equal(after.body.status, 'failed');
    assert.match(after.body.reason, /no Worker is enrolled/);
    const audit = await manager
      .http()
      .get(`/audit?streamId=deployment-${deploymentId}&order=oldest`)
      .set(auth);
    assert.deepEqual(
      audit.body.entries.map((entry: { type: string; causationId: string | null }) => [
        entry.type,
        entry.causationId,
      ]),
      [
        ['DeploymentRequested', null],
        ['DeploymentFailed', 'manager-restart'],
      ],
    );
  });
});

describe('stopping, starting and removing deployed projects (no Worker reachable)', () => {
  let manager: ManagerApp;

  before(async () => {
    manager = await ManagerApp.start('lifecycle');
  });

  after(() => manager.stop());

  async function recorded(types: string[]): Promise<string> {
    const deploymentId = crypto.randomUUID();
    const cause = { actor: 'admin', correlationId: deploymentId, causationId: null };
    const source = { org: 'testausserveri', repo: 'site', branch: 'main', composePath: 'compose.yml' };
    const data: Record<string, object> = {
      DeploymentRequested: { ...source, requestedBy: 'admin' },
      DeploymentSucceeded: {
        commit: 'c'.repeat(40),
        composeDigest: `sha256:${'d'.repeat(64)}`,
        containers: [],
      },
    };
    const { events } = await manager.get(EventStore).append(
      `deployment-${deploymentId}`,
      0,
      types.map((type) => ({ type, data: { deploymentId, ...data[type] } })),
      cause,
    );
    await manager.get(ReadModels).waitFor(events[events.length - 1].position);
    return deploymentId;
  }

  it('refuses what the status does not allow, and what the Worker cannot do, recording nothing', async () => {
    const requested = await recorded(['DeploymentRequested']);
    const conflict = await manager.http().post(`/deployments/${requested}/stop`).set(auth).expect(409);
    assert.match(conflict.body.message, /is requested: it cannot stop/);
    // The newest deployment of the repository, succeeded: the Worker would be asked, and none is enrolled (409
    // until an admin enrols one; a Worker enrolled and not answering is a 503).
    const running = await recorded(['DeploymentRequested', 'DeploymentSucceeded']);
    await manager.http().post(`/deployments/${requested}/stop`).set(auth).expect(409);
    const none = await manager.http().post(`/deployments/${running}/restart`).set(auth).expect(409);
    assert.match(none.body.message, /no Worker is enrolled: enrol one with POST \/nodes/);
    await manager.http().delete(`/deployments/${running}?volumes=maybe`).set(auth).expect(400);
    const usage = await manager.http().get(`/deployments/${running}/containers`).set(auth).expect(409);
    assert.match(usage.body.message, /no Worker is enrolled/);
    await manager.http().get(`/deployments/${crypto.randomUUID()}/containers`).set(auth).expect(404);
    await manager.http().post('/deployments/not-a-uuid/stop').set(auth).expect(400);
    await manager.http().post(`/deployments/${crypto.randomUUID()}/stop`).set(auth).expect(404);
    const redeployed = await manager.http().post(`/deployments/${running}/redeploy`).set(auth).expect(202);
    const again = await manager
      .http()
      .get(`/deployments/${redeployed.body.deploymentId}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      [again.body.org, again.body.repo, again.body.branch, again.body.composePath, again.body.requestedBy],
      ['testausserveri', 'site', 'main', 'compose.yml', 'admin'],
    );
    // The redeploy runs on (and fails: no Worker) after the 202; it holds the repository's lock until then, and the
    // next test takes that lock.
    await eventually(async () => {
      const { body } = await manager.http().get('/deployments/locks').set(auth).expect(200);
      return body.length === 0 ? true : undefined;
    }, 10_000);
    await manager.http().post(`/deployments/${crypto.randomUUID()}/redeploy`).set(auth).expect(404);
    const never = await manager.http().post(`/deployments/${requested}/rollback`).set(auth).expect(409);
    assert.match(never.body.message, /never succeeded/);
    await manager.http().post(`/deployments/${crypto.randomUUID()}/rollback`).set(auth).expect(404);
    const audit = await manager.http().get(`/audit?streamId=deployment-${running}`).set(auth).expect(200);
    assert.equal(audit.body.entries.length, 2);
  });

  it('shows who is deploying a repository, and refuses to act on it meanwhile', async () => {
    const running = await recorded(['DeploymentRequested', 'DeploymentSucceeded']);
    let open!: () => void;
    const deploying = manager
      .get(SourceLocks)
      .run(
        { org: 'testausserveri', repo: 'site', deploymentId: 'another', requestedBy: 'poller' },
        () => new Promise<void>((resolve) => (open = resolve)),
      );
    const locks = await manager.http().get('/deployments/locks').set(auth).expect(200);
    assert.deepEqual(
      locks.body.map(({ org, repo, deploymentId, requestedBy, commit }: Record<string, unknown>) => ({
        org,
        repo,
        deploymentId,
        requestedBy,
        commit,
      })),
      [{ org: 'testausserveri', repo: 'site', deploymentId: 'another', requestedBy: 'poller', commit: null }],
    );
    const busy = await manager.http().post(`/deployments/${running}/stop`).set(auth).expect(409);
    assert.match(
      busy.body.message,
      /testausserveri\/site is being deployed \(deployment another by poller, since /,
    );
    open();
    await deploying;
    assert.deepEqual((await manager.http().get('/deployments/locks').set(auth).expect(200)).body, []);
  });
});
