import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'mongoose';
import { Test } from 'supertest';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ManagerConfig } from '../config/manager-config';
import { DATABASE } from '../database/database.module';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/** Everything the database holds, as text: where a secret's clear value must not be. */
async function wholeDatabase(manager: ManagerApp): Promise<string> {
  const db = manager.app.get<Connection>(DATABASE).db!;
  const texts: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    texts.push(JSON.stringify(await db.collection(name).find({}).toArray()));
  }
  return texts.join('\n');
}

/**
 * A project's configuration through the API, on the real test database: plain and secret variables, a `.env`
 * import, per-service variables, every refusal with its reason, who may see it, and a secret's clear value in
 * no collection and no answer, before and after a restart.
 */
describe('Manager configuration: variables of a project, secrets sealed (real database)', () => {
  let manager: ManagerApp;
  let ada: Auth; // maintainer of acme/site
  let vic: Auth; // viewer of acme/site
  let sam: Auth; // no role
  const secret = `s3cret-${randomBytes(16).toString('hex')}`;
  const env = { ALLOWED_ORGS: 'acme' };
  const http = () => manager.http();
  const variables = '/projects/acme/site/variables';
  const member = async (name: string) =>
    bearer((await http().post('/members').set(auth).send({ name }).expect(201)).body.token);

  before(async () => {
    manager = await ManagerApp.start('configuration', env);
    [ada, vic, sam] = [await member('ada'), await member('vic'), await member('sam')];
    await http().post('/deployments').set(auth).send({ org: 'acme', repo: 'site' }).expect(202);
    await http().put('/projects/acme/site/members/ada').set(auth).send({ role: 'maintainer' }).expect(200);
    await http().put('/projects/acme/site/members/vic').set(auth).send({ role: 'viewer' }).expect(200);
  });
  after(() => manager.stop());

  it('sets plain and secret variables, shows a secret only by name, and counts versions', async () => {
    const plain = await http().put(`${variables}/PUBLIC_URL`).set(ada).send({ value: 'https://x.example' });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(
      [plain.body.name, plain.body.value, plain.body.secret, plain.body.version, plain.body.setBy],
      ['PUBLIC_URL', 'https://x.example', false, 1, 'member:ada'],
    );
    const hidden = await http().put(`${variables}/BOT_TOKEN`).set(ada).send({ value: secret, secret: true });
    assert.equal(hidden.status, 200);
    assert.deepEqual([hidden.body.value, hidden.body.secret, hidden.body.version], [null, true, 2]);
    assert.ok(!JSON.stringify(hidden.body).includes(secret));
    const { body } = await http().get(variables).set(ada).expect(200);
    assert.equal(body.version, 2);
    assert.deepEqual(
      body.variables.map((one: { name: string; value: string | null }) => [one.name, one.value]),
      [
        ['BOT_TOKEN', null],
        ['PUBLIC_URL', 'https://x.example'],
      ],
    );
  });

  it('imports a .env text as one change, naming what it set and echoing no value', async () => {
    const text = [
      '# the bot',
      'export GUILD_ID=1234',
      `DB_PASSWORD="${secret}-db"`,
      "GREETING='hello world'",
      '',
    ].join('\n');
    const { body } = await http()
      .post(`${variables}/import`)
      .set(ada)
      .send({ text, secret: true })
      .expect(200);
    assert.deepEqual(body, {
      version: 3,
      set: ['GUILD_ID', 'DB_PASSWORD', 'GREETING'],
      skipped: [],
      deploymentId: null,
    });
    const listed = (await http().get(variables).set(ada).expect(200)).body.variables as { name: string }[];
    assert.deepEqual(
      listed.map(({ name }) => name),
      ['BOT_TOKEN', 'DB_PASSWORD', 'GREETING', 'GUILD_ID', 'PUBLIC_URL'],
    );
  });

  it("keeps a service's own variable apart from the project's, and removes each by itself", async () => {
    await http().put(`${variables}/PORT`).set(ada).send({ value: '8080', service: 'web' }).expect(200);
    await http().put(`${variables}/PORT`).set(ada).send({ value: '9090' }).expect(200);
    const ports = async () =>
      (
        (await http().get(variables).set(ada).expect(200)).body.variables as {
          name: string;
          service: string | null;
          value: string;
        }[]
      )
        .filter(({ name }) => name === 'PORT')
        .map(({ service, value }) => [service, value]);
    assert.deepEqual(await ports(), [
      [null, '9090'],
      ['web', '8080'],
    ]);
    await http().delete(`${variables}/PORT?service=web`).set(ada).expect(200);
    assert.deepEqual(await ports(), [[null, '9090']]);
    await http().delete(`${variables}/PORT`).set(ada).expect(200);
    assert.deepEqual(await ports(), []);
  });

  it('refuses what a variable may not be, each with its reason, skips what is no variable, and never says a value', async () => {
    const refused = async (request: Test, status: number, reason: RegExp) => {
      const answer = await request.expect(status);
      assert.match(String(answer.body.message), reason);
      assert.ok(!JSON.stringify(answer.body).includes(secret));
    };
    await refused(http().put(`${variables}/1BAD`).set(ada).send({ value: 'x' }), 400, /a letter or _/);
    await refused(
      http()
        .put(`${variables}/OK`)
        .set(ada)
        .send({ value: `${secret}\u0000` }),
      400,
      /without control characters/,
    );
    await refused(
      http()
        .put(`${variables}/OK`)
        .set(ada)
        .send({ value: `${secret}\u001b]0;owned\u0007` }),
      400,
      /without control characters but tab and line breaks/,
    );
    await refused(
      http()
        .put(`${variables}/OK`)
        .set(ada)
        .send({ value: 'x'.repeat(8193) }),
      400,
      /at most 8192/,
    );
    await refused(
      http().put(`${variables}/OK`).set(ada).send({ value: 'x', service: '../etc' }),
      400,
      /service/,
    );
    await refused(
      http().delete(`${variables}/NOPE`).set(ada),
      404,
      /^variable NOPE of acme\/site does not exist$/,
    );
    const { version } = (await http().get(variables).set(ada).expect(200)).body;
    const skipping = await http()
      .post(`${variables}/import`)
      .set(ada)
      .send({ text: `${secret}\nNOT A LINE\n` })
      .expect(200);
    assert.deepEqual(skipping.body, {
      version,
      deploymentId: null,
      set: [],
      skipped: [
        { line: 1, reason: 'not NAME=value' },
        { line: 2, reason: 'not NAME=value' },
      ],
    });
    const many = Array.from({ length: 201 }, (_, n) => `V${n}=x`).join('\n');
    await refused(
      http().post(`${variables}/import`).set(ada).send({ text: many }),
      400,
      /at most 200 variables/,
    );
  });

  it('records with each deployment the configuration version it runs with, and redeploys with a change when asked', async () => {
    const { version } = (await http().get(variables).set(ada).expect(200)).body;
    const requested = await http()
      .post('/deployments')
      .set(auth)
      .send({ org: 'acme', repo: 'site' })
      .expect(202);
    const deployment = async (id: string) =>
      (await http().get(`/deployments/${id}`).set(ada).expect(200)).body;
    assert.equal((await deployment(requested.body.deploymentId)).configurationVersion, version);

    const changed = await http()
      .put(`${variables}/RELEASE`)
      .set(ada)
      .send({ value: 'two', redeploy: true })
      .expect(200);
    assert.equal(changed.body.version, version + 1);
    const redeployed = await deployment(changed.body.deploymentId);
    assert.deepEqual(
      [redeployed.org, redeployed.repo, redeployed.configurationVersion, redeployed.requestedBy],
      ['acme', 'site', version + 1, 'member:ada'],
    );
    const removed = await http().delete(`${variables}/RELEASE?redeploy=true`).set(ada).expect(200);
    assert.equal((await deployment(removed.body.deploymentId)).configurationVersion, version + 2);
    const quiet = await http().put(`${variables}/RELEASE`).set(ada).send({ value: 'three' }).expect(200);
    assert.equal(quiet.body.deploymentId, null);

    // A project with nothing deployed has nothing to redeploy: the change is refused whole.
    await http().put('/projects/acme/idle/members/ada').set(auth).send({ role: 'maintainer' }).expect(200);
    const idle = '/projects/acme/idle/variables';
    const refused = await http().put(`${idle}/X`).set(ada).send({ value: '1', redeploy: true }).expect(409);
    assert.equal(
      refused.body.message,
      'nothing of acme/idle is deployed to redeploy: save the change without redeploying',
    );
    await http().post(`${idle}/import`).set(ada).send({ text: 'X=1', redeploy: true }).expect(409);
    assert.equal((await http().get(idle).set(ada).expect(200)).body.version, 0);
  });

  it('answers a viewer that it needs the maintainer role, and anyone else as if the project did not exist', async () => {
    for (const request of [
      () => http().get(variables),
      () => http().put(`${variables}/X`).send({ value: '1' }),
      () => http().delete(`${variables}/PUBLIC_URL`),
      () => http().post(`${variables}/import`).send({ text: 'X=1' }),
    ]) {
      const viewer = await request().set(vic).expect(403);
      assert.equal(viewer.body.message, 'this needs the maintainer role on acme/site: you are its viewer');
      const stranger = await request().set(sam).expect(404);
      assert.equal(stranger.body.message, 'project acme/site does not exist');
    }
    const none = await http().get('/projects/acme/nothing/variables').set(auth).expect(404);
    assert.equal(none.body.message, 'project acme/nothing does not exist');
  });

  it("keeps every secret's clear value out of the database and the audit log, and rebuilds it all after a restart", async () => {
    const before = (await http().get(variables).set(ada).expect(200)).body;
    const stored = await wholeDatabase(manager);
    assert.ok(!stored.includes(secret), 'no collection holds a secret in clear');
    assert.match(stored, /ConfigurationChanged/);
    const audit = await http().get('/audit?limit=200').set(auth).expect(200);
    assert.ok(!JSON.stringify(audit.body).includes(secret));
    const { MONGO_URL } = manager.app.get(ManagerConfig);
    await manager.stopKeepingDatabase();
    manager = await ManagerApp.start('configuration', { ...env, MONGO_URL });
    assert.deepEqual((await http().get(variables).set(ada).expect(200)).body, before);
  });
});
