import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from 'mongoose';
import { auth, ManagerApp, TEST_TOKEN } from '../../../../test/support/manager-app';
import { WebhookReceiver } from '../../../../test/support/webhook-receiver';
import { ManagerConfig } from '../config/manager-config';
import { DATABASE } from '../database/database.module';
import { MasterKey } from './master-key';

const run = promisify(execFile);
/** The Manager's entry point, built beside this file. */
const MAIN = join(__dirname, '..', 'main.js');

/**
 * The master key across starts of the Manager on one database (the real test server): a wrong or missing key
 * stops it at start with a clear message and changes nothing; a rotation (MASTER_KEY_FILE the new key,
 * MASTER_KEY_PREVIOUS_FILE the old) wraps every data key anew as events, after which the new key alone opens
 * everything sealed before.
 */
describe('Manager master key: refused when wrong or missing, rotated by a start with the previous one', () => {
  let dir: string;
  let receiver: WebhookReceiver;
  let manager: ManagerApp | undefined;
  let mongoUrl: string;
  let recorded: number;
  const channels: Record<string, string> = {};
  const keys: Record<'old' | 'new' | 'other', string> = { old: '', new: '', other: '' };

  const start = (env: Record<string, string>) =>
    ManagerApp.start('master-key', { ALLOWED_ORGS: 'acme', NOTIFICATION_RETRY_MS: '50', ...env });
  const events = async () => {
    const db = (manager as ManagerApp).app.get<Connection>(DATABASE).db;
    return db!
      .collection('events')
      .find({}, { projection: { _id: 0, type: 1, data: 1 } })
      .toArray();
  };
  const vault = async () => {
    const db = (manager as ManagerApp).app.get<Connection>(DATABASE).db;
    return db!.collection('data_keys').find({}).toArray();
  };
  /** Both channels hear of a failed deployment: their sealed URLs opened, or not. */
  const deliveredBoth = async (path: string) => {
    const before = receiver.accepted(path).length + receiver.accepted('/server').length;
    await (manager as ManagerApp)
      .http()
      .post('/deployments')
      .set(auth)
      .send({ org: 'acme', repo: 'site' })
      .expect(202);
    for (let i = 0; i < 300; i++, await sleep(50)) {
      if (receiver.accepted(path).length + receiver.accepted('/server').length >= before + 2) return;
    }
    assert.fail('the failed deployment did not reach both channels');
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'master-keys-'));
    for (const name of Object.keys(keys) as (keyof typeof keys)[]) {
      keys[name] = join(dir, name);
      await writeFile(keys[name], randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    receiver = await WebhookReceiver.start();
    manager = await start({ MASTER_KEY_FILE: keys.old });
    mongoUrl = manager.app.get(ManagerConfig).MONGO_URL;
    // Its first deployment (failed: no Worker) makes acme/site a project.
    await manager.http().post('/deployments').set(auth).send({ org: 'acme', repo: 'site' }).expect(202);
    for (const [name, path, project] of [
      ['site', '/site', { org: 'acme', repo: 'site' }],
      ['server', '/server', undefined],
    ] as const) {
      const { body } = await manager
        .http()
        .post('/notifications/channels')
        .set(auth)
        .send({ name, kind: 'slack', url: receiver.url(path), topics: ['deployment.failed'], project })
        .expect(201);
      channels[name] = body.id;
    }
    await deliveredBoth('/site');
    recorded = (await events()).length;
    await manager.stopKeepingDatabase();
    manager = undefined;
  });

  after(async () => {
    if (!manager) manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other });
    await manager.stop();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('does not start without its key file, or with another key, and says which key wraps what', async () => {
    await assert.rejects(
      start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: join(dir, 'absent') }),
      /MASTER_KEY_FILE .*absent: there is no such file/,
    );
    const [old, other] = [MasterKey.load(keys.old).id, MasterKey.load(keys.other).id];
    await assert.rejects(
      start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other }),
      new RegExp(
        `^Error: MASTER_KEY_FILE holds master key ${other}, but the data keys of acme/site \\(by ${old}\\), ` +
          `global \\(by ${old}\\) are wrapped by another: .*; nothing was changed$`,
      ),
    );
  });

  it('wraps every data key with the new key by `main.js rotate-master-key`, then needs only the new one', async () => {
    const [old, next] = [MasterKey.load(keys.old).id, MasterKey.load(keys.new).id];
    // The command as an admin runs it, with every Manager stopped.
    const { stdout } = await run('node', [MAIN, 'rotate-master-key'], {
      env: {
        ...process.env,
        MONGO_URL: mongoUrl,
        ADMIN_TOKEN: TEST_TOKEN,
        MANAGER_STATE_DIR: join(dir, 'state'),
        MASTER_KEY_FILE: keys.new,
        MASTER_KEY_PREVIOUS_FILE: keys.old,
        ALLOWED_ORGS: 'acme',
        POLL_INTERVAL_MS: '0',
        LOG_LEVEL: 'silent',
      },
    });
    assert.equal(
      stdout.trim(),
      `2 data key(s) wrapped by master key ${next}: start the Manager with MASTER_KEY_FILE alone now (remove MASTER_KEY_PREVIOUS_FILE)`,
    );
    manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.new });
    const all = await events();
    const rewrapped = all.filter(({ type }) => type === 'DataKeyRewrapped');
    assert.equal(all.length, recorded + 2, 'the refused starts recorded nothing');
    assert.deepEqual(
      rewrapped.map(({ data }) => [data.scope, data.masterKey, data.previousMasterKey]).sort(),
      [
        ['acme/site', next, old],
        ['global', next, old],
      ],
    );
    await deliveredBoth('/site');
    // No wrapping by the old key is left in the database: the old key with a copy of it taken now opens nothing.
    assert.deepEqual(
      (await vault()).map(({ wrapped }) => wrapped.key),
      [next, next],
    );
    const lives = (await events()).filter(({ type }) => String(type).startsWith('DataKey'));
    assert.ok(
      lives.length >= 4 && lives.every(({ data }) => !('wrapped' in data)),
      'the log holds no data key',
    );
    await manager.stopKeepingDatabase();

    // The old key alone opens nothing now, and says which key replaced it; declaring that newer one lost (which
    // would replace every data key) is refused the same way.
    manager = undefined;
    const replaced = new RegExp(
      `^Error: MASTER_KEY_FILE holds master key ${old}, which a rotation replaced by ${next}: start the Manager ` +
        'with that one; nothing was changed$',
    );
    await assert.rejects(start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.old }), replaced);
    await assert.rejects(
      start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.old, MASTER_KEY_LOST: next }),
      replaced,
    );
    manager = await start({
      MONGO_URL: mongoUrl,
      MASTER_KEY_FILE: keys.new,
      MASTER_KEY_PREVIOUS_FILE: keys.old,
    });
    assert.equal((await events()).filter(({ type }) => type === 'DataKeyRewrapped').length, 2, 'once only');
    await manager.stopKeepingDatabase();
    manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.new });
    await deliveredBoth('/site');
    const verified = await manager.http().get('/audit/verify').set(auth).expect(200);
    assert.equal(verified.body.ok, true);
    await manager.stopKeepingDatabase();
    manager = undefined;
  });

  it('gives the scopes of a master key declared lost new data keys: what they sealed is asked for again', async () => {
    const lost = MasterKey.load(keys.new).id;
    manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other, MASTER_KEY_LOST: lost });
    const replaced = (await events()).filter(({ type }) => type === 'DataKeyReplaced');
    assert.deepEqual(replaced.map(({ data }) => [data.scope, data.lostMasterKey]).sort(), [
      ['acme/site', lost],
      ['global', lost],
    ]);
    await manager.http().post('/deployments').set(auth).send({ org: 'acme', repo: 'site' }).expect(202);
    for (const id of Object.values(channels)) {
      let error: string | null = null;
      for (let i = 0; i < 200 && !error; i++, await sleep(50)) {
        const { body } = await (manager as ManagerApp).http().get(`/notifications/channels/${id}`).set(auth);
        error = body.deliveries.lastError?.error ?? null;
      }
      assert.match(
        String(error),
        /sealed with data key .*, which was replaced by .* \(its master key was lost\): give it again/,
      );
    }
    for (const [name, path] of [
      ['site', '/site'],
      ['server', '/server'],
    ]) {
      await manager
        .http()
        .patch(`/notifications/channels/${channels[name]}`)
        .set(auth)
        .send({ url: receiver.url(path) })
        .expect(200);
    }
    await deliveredBoth('/site');
    assert.equal((await manager.http().get('/audit/verify').set(auth).expect(200)).body.ok, true);

    // Left set, the setting is refused: it would replace any data key a key of that id wrapped again.
    await manager.stopKeepingDatabase();
    manager = undefined;
    await assert.rejects(
      start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other, MASTER_KEY_LOST: lost }),
      new RegExp(
        `^Error: MASTER_KEY_LOST names master key ${lost}, which wraps no data key: remove the setting`,
      ),
    );
  });

  it('clears from the key vault at start a key a crash left there unrecorded long ago, and keeps every other', async () => {
    manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other });
    const kept = (await vault()).map(({ _id }) => String(_id)).sort();
    assert.equal(kept.length, 2);
    const db = manager.app.get<Connection>(DATABASE).db!;
    const wrapped = { key: MasterKey.load(keys.other).id, iv: 'x', sealed: 'y' };
    const entry = (id: string, ageMs: number) => ({
      _id: id as never,
      scope: 'acme/site',
      wrapped,
      createdAt: new Date(Date.now() - ageMs),
    });
    // One left by a crash an hour ago; one another Manager may be about to record.
    await db.collection('data_keys').insertMany([entry('never-recorded', 3_600_000), entry('just-made', 0)]);
    await manager.stopKeepingDatabase();
    manager = await start({ MONGO_URL: mongoUrl, MASTER_KEY_FILE: keys.other });
    assert.deepEqual((await vault()).map(({ _id }) => String(_id)).sort(), [...kept, 'just-made'].sort());
    await deliveredBoth('/site');
  });
});
