import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ReadModels } from '../events/read-models';

const SECRET = 'webhook-secret-0123456789';

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 100 && !(await condition()); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GitHub push webhooks (real database, no Worker)', () => {
  let manager: ManagerApp;
  let unconfigured: ManagerApp;
  const running = 'a'.repeat(40);
  const pushed = 'b'.repeat(40);

  const payload = (after: string, repo = 'site', ref = 'refs/heads/main') =>
    JSON.stringify({ ref, after, repository: { name: repo, owner: { login: 'TestausServeri' } } });
  const sign = (body: string, secret = SECRET) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const hook = (
    app: ManagerApp,
    body: string,
    signature: string | null,
    event = 'push',
    delivery: string | null = crypto.randomUUID(),
  ) => {
    const request = app
      .http()
      .post('/webhooks/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', event);
    if (signature !== null) request.set('X-Hub-Signature-256', signature);
    if (delivery !== null) request.set('X-GitHub-Delivery', delivery);
    return request.send(body);
  };

  before(async () => {
    manager = await ManagerApp.start('webhooks', { WEBHOOK_SECRET: SECRET });
    unconfigured = await ManagerApp.start('webhooks-off');
    // A deployment of testausserveri/site@main that succeeded at `running`.
    const deploymentId = crypto.randomUUID();
    const source = { org: 'testausserveri', repo: 'site', branch: 'main', composePath: 'compose.yml' };
    const { events } = await manager.get(EventStore).append(
      `deployment-${deploymentId}`,
      0,
      [
        { type: 'DeploymentRequested', data: { deploymentId, ...source, requestedBy: 'admin' } },
        {
          type: 'DeploymentSucceeded',
          data: { deploymentId, commit: running, composeDigest: `sha256:${'c'.repeat(64)}`, containers: [] },
        },
      ],
      { actor: 'admin', correlationId: deploymentId, causationId: null },
    );
    await manager.get(ReadModels).waitFor(events[1].position);
  });

  after(async () => {
    await manager.stop();
    await unconfigured.stop();
  });

  it('refuses unsigned, wrongly signed and unconfigured calls, before reading the body', async () => {
    const body = payload(pushed);
    await hook(unconfigured, body, sign(body)).expect(404);
    await hook(manager, body, null).expect(401);
    await hook(manager, body, sign(body, 'another-secret-0123456')).expect(401);
    await hook(manager, body, sign(`${body} `)).expect(401);
    await hook(manager, body, 'sha256=zz').expect(401);
    const audit = await manager.http().get('/audit?type=DeploymentRequested').set(auth).expect(200);
    assert.equal(audit.body.entries.length, 1);
  });

  it('answers pings and ignores other events and pushes to branches nobody follows', async () => {
    const ping = '{"zen":"hi"}';
    assert.deepEqual((await hook(manager, ping, sign(ping), 'ping').expect(202)).body, { deployments: [] });
    const other = payload(pushed, 'elsewhere');
    assert.deepEqual((await hook(manager, other, sign(other)).expect(202)).body, { deployments: [] });
    const tag = payload(pushed, 'site', 'refs/tags/v1');
    assert.equal((await hook(manager, tag, sign(tag)).expect(202)).body.ignored, 'not a branch head');
    const bad = '{"ref": 1}';
    await hook(manager, bad, sign(bad)).expect(400);
  });

  it('deploys the pushed head of a followed branch once, however often it is delivered', async () => {
    const body = payload(pushed);
    const first = await hook(manager, body, sign(body)).expect(202);
    assert.equal(first.body.deployments.length, 1);
    // Delivered again (GitHub retries): while the first attempt runs the branch is not followed, afterwards
    // the command id answers with the same deployment; either way nothing new is requested.
    const again = await hook(manager, body, sign(body)).expect(202);
    assert.ok(again.body.deployments.every((id: string) => id === first.body.deployments[0]));
    const requests = await manager.http().get('/audit?type=DeploymentRequested').set(auth).expect(200);
    assert.equal(requests.body.entries.length, 2);
    const view = await manager.http().get(`/deployments/${first.body.deployments[0]}`).set(auth).expect(200);
    assert.equal(view.body.requestedBy, 'webhook');
    // The attempt at `pushed` fails (no Worker), so a push back to `running` is deployed again too.
    await until(
      async () =>
        (await manager.http().get(`/deployments/${first.body.deployments[0]}`).set(auth)).body.status ===
        'failed',
    );
    const back = payload(running);
    assert.equal((await hook(manager, back, sign(back)).expect(202)).body.deployments.length, 1);
  });

  it('acts on a delivery once: the same X-GitHub-Delivery sent again is ignored, one without it refused', async () => {
    // A push of another branch head a follower would deploy, captured and replayed.
    const other = 'd'.repeat(40);
    const body = payload(other);
    const delivery = crypto.randomUUID();
    await until(async () => {
      const list = await manager.http().get('/deployments').set(auth);
      return list.body.every((view: { status: string }) => view.status !== 'requested');
    });
    const first = await hook(manager, body, sign(body), 'push', delivery).expect(202);
    assert.equal(first.body.deployments.length, 1);
    const before = (await manager.http().get('/audit?type=DeploymentRequested').set(auth)).body.entries
      .length;
    const replayed = await hook(manager, body, sign(body), 'push', delivery).expect(202);
    assert.deepEqual(replayed.body, { ignored: `delivery ${delivery} was received before`, deployments: [] });
    await hook(manager, body, sign(body), 'push', null).expect(400);
    const after = (await manager.http().get('/audit?type=DeploymentRequested').set(auth)).body.entries.length;
    assert.equal(after, before);
  });
});
