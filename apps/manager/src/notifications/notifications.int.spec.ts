import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { MongoClient } from 'mongodb';
import { Connection } from 'mongoose';
import { Observations } from '@testausdeploy/domain';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { verifiesStandardWebhook, WebhookReceiver } from '../../../../test/support/webhook-receiver';
import { ManagerConfig } from '../config/manager-config';
import { DATABASE } from '../database/database.module';
import { RecordFirewallDriftCommand } from '../firewall/commands/record-firewall-drift.command';
import { ObservationRecorder } from '../observations/observation-recorder';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/** Waits for `check` to hold (deliveries are sent in the background), or fails saying what was awaited. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Notification channels against the real database and a real HTTP receiver on 127.0.0.1 (standing in for
 * Discord's, Slack's and a generic webhook's endpoints: no network here reaches theirs) that refuses the first
 * attempts. No Worker is enrolled, so every deployment fails with a reason: the event the channels hear of.
 */
describe('Manager notifications: channels, delivery with retries, across a restart (real database)', () => {
  let manager: ManagerApp;
  let receiver: WebhookReceiver;
  let ada: Auth; // maintainer of acme/site
  let vic: Auth; // viewer of acme/site
  const env = { ALLOWED_ORGS: 'acme', NOTIFICATION_RETRY_MS: '50', NODE_UNREACHABLE_AFTER_MS: '300' };
  const http = () => manager.http();
  const member = async (name: string) =>
    bearer((await http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  const deploy = async () =>
    (await http().post('/deployments').set(auth).send({ org: 'acme', repo: 'site' }).expect(202)).body
      .deploymentId as string;
  const channel = (who: Auth, body: object) => http().post('/notifications/channels').set(who).send(body);
  const deliveries = async (id: string) =>
    (await http().get(`/notifications/channels/${id}/deliveries`).set(auth).expect(200)).body as {
      id: string;
      state: string;
      attempts: number;
      topic: string;
      lastError: string | null;
    }[];

  before(async () => {
    receiver = await WebhookReceiver.start();
    manager = await ManagerApp.start('notifications', env);
    [ada, vic] = [await member('ada'), await member('vic')];
    await deploy(); // makes acme/site a project
    await http().put('/projects/acme/site/members/ada').set(auth).send({ role: 'maintainer' }).expect(200);
    await http().put('/projects/acme/site/members/vic').set(auth).send({ role: 'viewer' }).expect(200);
  });

  after(async () => {
    await manager.stop();
    await receiver.stop();
  });

  it('delivers a failed deployment to Discord, Slack and a signed webhook once each, after the receiver refused the first attempts', async () => {
    const discordPath = '/api/webhooks/123/discord-token-that-is-secret';
    const discord = await channel(ada, {
      name: 'site on Discord',
      kind: 'discord',
      url: receiver.url(discordPath),
      topics: ['deployment.failed', 'deployment.succeeded'],
      project: { org: 'acme', repo: 'site' },
    }).expect(201);
    assert.equal(discord.body.project, 'acme/site');
    assert.equal(discord.body.host, new URL(receiver.url('/')).host);
    assert.equal(discord.body.signingSecret, null);
    assert.doesNotMatch(JSON.stringify(discord.body), /discord-token/);
    const slack = await channel(ada, {
      name: 'site on Slack',
      kind: 'slack',
      url: receiver.url('/slack/hook-secret'),
      topics: ['deployment.failed'],
      project: { org: 'acme', repo: 'site' },
    }).expect(201);
    const hook = await channel(auth, {
      name: 'everything',
      kind: 'webhook',
      url: receiver.url('/hook/server-secret'),
      topics: ['deployment.failed', 'firewall.repaired', 'node.unreachable'],
    }).expect(201);
    const secret = hook.body.signingSecret as string;
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

    receiver.failing = 4;
    const id = await deploy();
    await until('three deliveries', () =>
      ['/slack/hook-secret', '/hook/server-secret', discordPath].every(
        (path) => receiver.accepted(path).length === 1,
      ),
    );
    await sleep(300); // nothing more comes: each was delivered once
    const [toDiscord] = receiver.accepted(discordPath);
    const embed = (toDiscord.json.embeds as Record<string, unknown>[])[0];
    assert.equal(embed.title, 'acme/site failed to deploy');
    assert.match(String(embed.description), /no Worker/i);
    assert.match(String(embed.url), new RegExp(`/ui/deployments/${id}$`));
    assert.deepEqual(toDiscord.json.allowed_mentions, { parse: [] });
    const [toSlack] = receiver.accepted('/slack/hook-secret');
    assert.match(String(toSlack.json.text), /acme\/site failed to deploy/);
    const [toHook] = receiver.accepted('/hook/server-secret');
    assert.ok(verifiesStandardWebhook(toHook, secret), 'the signature verifies');
    assert.ok(!verifiesStandardWebhook({ ...toHook, body: toHook.body.replace('acme', 'evil') }, secret));
    assert.equal(toHook.json.type, 'deployment.failed');
    assert.equal(toHook.headers['webhook-id'], toHook.json.id);
    for (const request of receiver.received) {
      assert.doesNotMatch(request.body, /secret|whsec_|Bearer/, 'no secret in a message');
    }
    const log = await deliveries(discord.body.id);
    assert.equal(log.length, 1);
    assert.equal(log[0].state, 'delivered');
    const attempts = await Promise.all(
      [discord, slack, hook].map(async ({ body }) => (await deliveries(body.id))[0].attempts),
    );
    assert.equal(
      attempts.reduce((sum, n) => sum + n, 0),
      3 + 4,
      'four refused attempts, then one each',
    );
    const { body: summary } = await http()
      .get(`/notifications/channels/${discord.body.id}`)
      .set(ada)
      .expect(200);
    assert.equal(summary.deliveries.delivered, 1);
  });

  it('keeps the URLs and the signing secret out of the event log, the read models and every answer', async () => {
    const db = manager.get<Connection>(DATABASE).db!;
    for (const { name } of await db.listCollections().toArray()) {
      const text = JSON.stringify(await db.collection(name).find({}).toArray());
      assert.doesNotMatch(
        text,
        /discord-token-that-is-secret|hook-secret|server-secret|whsec_/,
        `collection ${name}`,
      );
    }
    const { body } = await http().get('/audit?limit=500').set(auth).expect(200);
    assert.doesNotMatch(JSON.stringify(body), /discord-token|hook-secret|whsec_/);
  });

  it('delivers what was queued before a restart once, after it', async () => {
    const { body } = await channel(auth, {
      name: 'restart',
      kind: 'webhook',
      url: receiver.url('/restart'),
      topics: ['deployment.failed'],
    }).expect(201);
    receiver.failing = 1_000_000;
    await deploy();
    await until('a refused attempt', () => receiver.received.some((request) => request.path === '/restart'));
    const { MONGO_URL } = manager.app.get(ManagerConfig);
    await manager.stopKeepingDatabase();
    receiver.failing = 0;
    manager = await ManagerApp.start('notifications', { ...env, MONGO_URL });
    await until('the delivery after the restart', () => receiver.accepted('/restart').length === 1);
    await sleep(300);
    assert.equal(receiver.accepted('/restart').length, 1);
    const [delivered] = await deliveries(body.id);
    assert.equal(delivered.state, 'delivered');
    assert.ok(delivered.attempts >= 2);
  });

  it('reads back from its checkpoint what the log got while it was down, and delivers it once', async () => {
    await channel(ada, {
      name: 'catching up',
      kind: 'webhook',
      url: receiver.url('/catch-up'),
      topics: ['deployment.failed'],
      project: { org: 'acme', repo: 'site' },
    }).expect(201);
    const { MONGO_URL } = manager.app.get(ManagerConfig);
    await manager.stopKeepingDatabase();
    // Another writer of the log (a Manager that stopped before its outbox saw it) records a failed deployment.
    const client = await MongoClient.connect(MONGO_URL);
    const deploymentId = randomUUID();
    try {
      const store = new EventStore(client.db(), { source: 'test' });
      await store.init();
      const source = { org: 'acme', repo: 'site', branch: 'main', composePath: 'docker-compose.yml' };
      await store.append(
        `deployment-${deploymentId}`,
        0,
        [
          { type: 'DeploymentRequested', data: { deploymentId, ...source, requestedBy: 'admin' } },
          { type: 'DeploymentFailed', data: { deploymentId, reason: 'recorded while no outbox ran' } },
        ],
        { actor: 'admin', correlationId: deploymentId, causationId: null },
      );
    } finally {
      await client.close();
    }
    manager = await ManagerApp.start('notifications', { ...env, MONGO_URL });
    await until('the delivery of what it missed', () => receiver.accepted('/catch-up').length === 1);
    await sleep(300);
    const [missed] = receiver.accepted('/catch-up');
    assert.equal(missed.json.type, 'deployment.failed');
    assert.match(JSON.stringify(missed.json), /recorded while no outbox ran/);
    assert.equal(receiver.accepted('/catch-up').length, 1);
  });

  it('waits twice as long before each try again, and tells a project its poller backs off, no other project', async () => {
    const { body } = await http()
      .post('/deployments')
      .set(auth)
      .send({ org: 'acme', repo: 'elsewhere' })
      .expect(202);
    // It fails (no Worker) and is told to the channels that hear of failures before the receiver starts refusing.
    await until('the deployment ended', async () => {
      const view = await http().get(`/deployments/${body.deploymentId}`).set(auth);
      return view.body.status === 'failed';
    });
    await sleep(300);
    const hear = async (path: string, repo: string) =>
      channel(auth, {
        name: `${repo} poller`,
        kind: 'webhook',
        url: receiver.url(path),
        topics: ['polling.backedOff'],
        project: { org: 'acme', repo },
      }).expect(201);
    await hear('/backoff/site', 'site');
    await hear('/backoff/elsewhere', 'elsewhere');
    receiver.failing = 4;
    await manager.get(ObservationRecorder).record(
      () => Observations.ofPolling('acme', 'site'),
      (seen) =>
        seen.pollingBackedOff({
          org: 'acme',
          repo: 'site',
          branch: 'main',
          reason: 'git ls-remote failed',
          retryInSeconds: 60,
        }),
      'poller',
    );
    await until('the back-off told', () => receiver.accepted('/backoff/site').length === 1);
    await sleep(300);
    assert.equal(receiver.accepted('/backoff/elsewhere').length, 0, 'not to another project');
    const [told] = receiver.accepted('/backoff/site');
    assert.deepEqual(
      [told.json.type, (told.json.data as { project: string }).project],
      ['polling.backedOff', 'acme/site'],
    );
    // Four refusals, then the delivery: NOTIFICATION_RETRY_MS (50 ms) doubled after each, give or take a fifth.
    const times = receiver.received.filter(({ path }) => path === '/backoff/site').map(({ at }) => at);
    assert.equal(times.length, 5);
    const gaps = times.slice(1).map((at, index) => at - times[index]);
    assert.ok(gaps[3] >= 2.5 * gaps[0] && gaps[3] >= 320, `waits of ${gaps.join(', ')} ms`);
  });

  it('tells the server’s channels of a member’s scheduled backup that failed', async () => {
    const { body } = await channel(auth, {
      name: 'backups',
      kind: 'slack',
      url: receiver.url('/backups'),
      topics: ['backup.failed', 'backup.succeeded'],
    }).expect(201);
    await manager.get(ObservationRecorder).record(
      () => Observations.ofBackups('ada-box'),
      (seen) =>
        seen.scheduledBackupFailed({
          container: 'ada-box',
          owner: 'ada',
          ownerId: 'id-ada',
          reason: 'the backup directory is full',
        }),
      'scheduler',
    );
    await until('the failure told', () => receiver.accepted('/backups').length === 1);
    const text = String(receiver.accepted('/backups')[0].json.text);
    assert.match(text, /Scheduled backup of ada-box failed/);
    await http().delete(`/notifications/channels/${body.id}`).set(auth).expect(204);
  });

  it('tells the server’s channels of firewall drift repaired and of a node unreachable for longer than set', async () => {
    const before = receiver.accepted('/hook/server-secret').length;
    await manager.get(CommandBus).execute(
      new RecordFirewallDriftCommand('guardian-1', {
        boot: 'b1',
        sequence: 1,
        detectedAt: new Date().toISOString(),
        differences: ['table inet testausdeploy was flushed'],
      }),
    );
    // A Guardian enrolled where nothing listens: its session never comes up.
    await http()
      .post('/nodes')
      .set(auth)
      .send({ name: 'g-gone', kind: 'guardian', url: 'wss://127.0.0.1:9', fingerprint: 'ab'.repeat(32) })
      .expect(201);
    await until('both notices', () => receiver.accepted('/hook/server-secret').length === before + 2);
    const types = receiver
      .accepted('/hook/server-secret')
      .slice(before)
      .map(({ json }) => json.type)
      .sort();
    assert.deepEqual(types, ['firewall.repaired', 'node.unreachable']);
  });

  it('sends a test message on request', async () => {
    const { body } = await channel(ada, {
      name: 'test',
      kind: 'slack',
      url: receiver.url('/test'),
      topics: ['deployment.failed'],
      project: { org: 'acme', repo: 'site' },
    }).expect(201);
    await http().post(`/notifications/channels/${body.id}/test`).set(ada).expect(202);
    await until('the test message', () => receiver.accepted('/test').length === 1);
    assert.match(String(receiver.accepted('/test')[0].json.text), /Test message/);
  });

  it('gives up at once when the receiver says the webhook is gone, and waits as long as Retry-After asks', async () => {
    const add = async (name: string, path: string) =>
      (
        await channel(ada, {
          name,
          kind: 'discord',
          url: receiver.url(path),
          topics: ['deployment.failed'],
          project: { org: 'acme', repo: 'site' },
        }).expect(201)
      ).body.id as string;
    try {
      const gone = await add('deleted on Discord', '/api/webhooks/1/gone');
      [receiver.failing, receiver.refusal] = [1000, 404];
      await http().post(`/notifications/channels/${gone}/test`).set(ada).expect(202);
      await until('the delivery given up', async () => (await deliveries(gone))[0]?.state === 'failed');
      const [failed] = await deliveries(gone);
      assert.deepEqual([failed.attempts, failed.lastError], [1, 'HTTP 404: down for maintenance']);
      const summary = (await http().get(`/notifications/channels/${gone}`).set(ada).expect(200)).body;
      assert.deepEqual([summary.deliveries.failed, summary.deliveries.failedSinceDelivered], [1, 1]);

      const busy = await add('rate-limited', '/api/webhooks/2/busy');
      [receiver.failing, receiver.refusal, receiver.retryAfter] = [1, 429, 1];
      await http().post(`/notifications/channels/${busy}/test`).set(ada).expect(202);
      await until(
        'the delivery after the wait',
        () => receiver.accepted('/api/webhooks/2/busy').length === 1,
      );
      const [refused, taken] = receiver.received.filter(({ path }) => path === '/api/webhooks/2/busy');
      assert.ok(taken.at - refused.at >= 950, `tried again after ${taken.at - refused.at} ms, not 1 s`);
    } finally {
      [receiver.failing, receiver.refusal, receiver.retryAfter] = [0, 503, null];
    }
  });

  it('holds a project to 10 channels and a channel to one test message every 30 s, saying so', async () => {
    await http().post('/deployments').set(auth).send({ org: 'acme', repo: 'cap' }).expect(202);
    const add = (n: number) =>
      channel(auth, {
        name: `cap ${n}`,
        kind: 'slack',
        url: receiver.url(`/cap/${n}`),
        topics: ['deployment.failed'],
        project: { org: 'acme', repo: 'cap' },
      });
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) ids.push((await add(n).expect(201)).body.id);
    const full = await add(10).expect(409);
    assert.equal(full.body.message, 'acme/cap has 10 channels, the most it may have: remove one first');
    await http().post(`/notifications/channels/${ids[0]}/test`).set(auth).expect(202);
    const again = await http().post(`/notifications/channels/${ids[0]}/test`).set(auth).expect(409);
    assert.match(again.body.message, /^a test message was asked for just now: ask again in (30|29) s$/);
    await http().post(`/notifications/channels/${ids[1]}/test`).set(auth).expect(202);
    await http().delete(`/notifications/channels/${ids[9]}`).set(auth).expect(204);
    await add(10).expect(201);
  });

  it('refuses what a channel may not be, each with its reason', async () => {
    const site = { org: 'acme', repo: 'site' };
    const base = { name: 'x', kind: 'webhook', topics: ['deployment.failed'], project: site };
    const refused = async (who: Auth, body: object, status: number, reason: RegExp) => {
      const answer = await channel(who, body).expect(status);
      assert.match(String(answer.body.message), reason);
    };
    await refused(ada, { ...base, url: 'https://10.0.0.1/hook' }, 403, /not a public address/);
    await refused(ada, { ...base, url: 'http://example.org/hook' }, 403, /must be https/);
    await refused(ada, { ...base, url: 'https://example.org/hook' }, 403, /only to 127\.0\.0\.1/);
    await refused(ada, { ...base, url: 'http://user:pw@127.0.0.1/hook' }, 403, /user name or password/);
    // Addresses written otherwise are the addresses they name: hex IPv4, IPv4 inside IPv6.
    await refused(
      ada,
      { ...base, url: 'https://0x0a000001/hook' },
      403,
      /10\.0\.0\.1 is not a public address/,
    );
    await refused(ada, { ...base, url: 'https://[::ffff:127.0.0.1]/hook' }, 403, /not a public address/);
    await refused(ada, { ...base, url: 'file:///etc/passwd' }, 403, /must be https/);
    await refused(ada, { ...base, url: 'javascript:alert(1)' }, 403, /must be https/);
    await refused(
      ada,
      { ...base, url: receiver.url('/x'), topics: ['deployment.failed', 'deployment.failed'] },
      400,
      /each topic once/,
    );
    await refused(ada, { ...base, kind: 'discord', url: receiver.url('/hooks/1') }, 400, /\/api\/webhooks\//);
    await refused(
      ada,
      { ...base, url: receiver.url('/x'), topics: ['node.unreachable'] },
      400,
      /whole server/,
    );
    await refused(ada, { ...base, url: receiver.url('/x'), project: undefined }, 403, /only admins/);
    await refused(vic, { ...base, url: receiver.url('/x') }, 403, /maintainer role/);
    await refused(
      ada,
      { ...base, url: receiver.url('/x'), project: { org: 'acme', repo: 'nothing' } },
      404,
      /does not exist/,
    );
    await refused(ada, { ...base, url: 'not a url' }, 400, /not a URL/);
  });

  it("shows a project's members its channels, lets only its maintainers act, and answers others as missing", async () => {
    const sam = await member('sam'); // no role anywhere
    const all = (await http().get('/notifications/channels').set(auth).expect(200)).body as {
      id: string;
      project: string | null;
      access: string;
    }[];
    assert.ok(all.every(({ access }) => access === 'admin'));
    const ids = (list: { id: string }[]) => list.map(({ id }) => id).sort();
    const ofSite = all.filter(({ project }) => project === 'acme/site');
    assert.ok(ofSite.length > 0);
    const seen = async (who: Auth) =>
      (await http().get('/notifications/channels').set(who).expect(200)).body as {
        id: string;
        access: string;
      }[];
    const [mine, viewed] = [await seen(ada), await seen(vic)];
    assert.deepEqual(ids(mine), ids(ofSite));
    assert.deepEqual(ids(viewed), ids(ofSite));
    assert.ok(mine.every(({ access }) => access === 'maintainer'));
    assert.ok(viewed.every(({ access }) => access === 'viewer'));
    assert.deepEqual(await seen(sam), []);

    const server = all.find(({ project }) => project === null)!;
    const project = ofSite[0];
    await http().get(`/notifications/channels/${project.id}/deliveries`).set(vic).expect(200);
    for (const change of [
      http().delete(`/notifications/channels/${project.id}`),
      http().post(`/notifications/channels/${project.id}/test`),
      http().patch(`/notifications/channels/${project.id}`).send({ name: 'mine' }),
    ]) {
      const refused = await change.set(vic).expect(403);
      assert.equal(refused.body.message, 'this needs the maintainer role on acme/site: you are its viewer');
    }
    for (const [who, id] of [
      [ada, server.id],
      [vic, server.id],
      [sam, project.id],
    ] as const) {
      const missing = await http().get(`/notifications/channels/${id}`).set(who).expect(404);
      assert.equal(missing.body.message, `notification channel ${id} does not exist`);
      await http().get(`/notifications/channels/${id}/deliveries`).set(who).expect(404);
      await http().delete(`/notifications/channels/${id}`).set(who).expect(404);
      await http().post(`/notifications/channels/${id}/test`).set(who).expect(404);
      await http().patch(`/notifications/channels/${id}`).set(who).send({ name: 'mine' }).expect(404);
    }
    const refused = await channel(sam, {
      name: 'x',
      kind: 'webhook',
      url: receiver.url('/x'),
      topics: ['deployment.failed'],
      project: { org: 'acme', repo: 'site' },
    }).expect(404);
    assert.equal(refused.body.message, 'project acme/site does not exist');
    await http()
      .patch(`/notifications/channels/${project.id}`)
      .set(ada)
      .send({ name: 'renamed' })
      .expect(200);
    await http().delete(`/notifications/channels/${project.id}`).set(ada).expect(204);
    await http().get(`/notifications/channels/${project.id}`).set(ada).expect(404);
  });
});

describe('Manager notifications: a name that resolves to a private address is refused where it connects', () => {
  it('gives up the delivery after NOTIFICATION_GIVE_UP_MS and says why: the lookup refused before any connection', async () => {
    const manager = await ManagerApp.start('notifications-private', {
      ALLOWED_ORGS: 'acme',
      NOTIFICATION_HOSTS: 'localhost',
      NOTIFICATION_PRIVATE_HOSTS: '',
      NOTIFICATION_RETRY_MS: '50',
      NOTIFICATION_GIVE_UP_MS: '1000',
    });
    try {
      const { body } = await manager
        .http()
        .post('/notifications/channels')
        .set(auth)
        .send({
          name: 'sneaky',
          kind: 'webhook',
          url: 'https://localhost/x',
          topics: ['deployment.failed'],
        })
        .expect(201);
      await manager.http().post(`/notifications/channels/${body.id}/test`).set(auth).expect(202);
      await until('the delivery given up', async () => {
        const { body: summary } = await manager.http().get(`/notifications/channels/${body.id}`).set(auth);
        return summary.deliveries.failed === 1;
      });
      const { body: summary } = await manager
        .http()
        .get(`/notifications/channels/${body.id}`)
        .set(auth)
        .expect(200);
      // Without the check at connect, nothing listening on port 443 would have answered ECONNREFUSED instead.
      assert.match(
        summary.deliveries.lastError.error,
        /^localhost: EADDRNOTPUBLIC localhost resolves to (127\.0\.0\.1|::1), not a public address$/,
      );
    } finally {
      await manager.stop();
    }
  });
});
