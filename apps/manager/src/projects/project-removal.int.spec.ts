import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandBus } from '@nestjs/cqrs';
import { Connection } from 'mongoose';
import { ConfigurationChanged, Deployment, DeploymentSource } from '@testausdeploy/domain';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { variableContext } from '../configuration/commands/change-configuration.handler';
import { DATABASE } from '../database/database.module';
import { DataKeys } from '../keys/data-keys';
import { RunDeploymentCommand } from '../deployments/commands/run-deployment.command';
import { DeploymentRepository } from '../deployments/deployment.repository';
import { ProjectRemovals } from './project-removals';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/**
 * Removing a project that was never deployed (no Worker is needed for it), on the real test database: who may,
 * the confirmation, and that everything of it goes: roles, channels, configuration, and its data key, so that
 * its secrets' ciphertext, still in the intact log, can never be opened again. The repository can become a
 * project again afterwards, with a new key.
 */
describe('Manager: removing a project destroys its data key and everything of it (real database)', () => {
  let manager: ManagerApp;
  let ada: Auth; // maintainer
  let vic: Auth; // viewer
  let sam: Auth; // no role
  let channelId: string;
  const secret = `gone-${randomBytes(16).toString('hex')}`;
  const http = () => manager.http();
  const project = '/projects/acme/gone';
  const member = async (name: string) =>
    bearer((await http().post('/members').set(auth).send({ name }).expect(201)).body.token);
  const db = () => manager.app.get<Connection>(DATABASE).db!;
  const events = (type: string) =>
    db()
      .collection('events')
      .find({ type }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .toArray();

  before(async () => {
    manager = await ManagerApp.start('project-removal', { ALLOWED_ORGS: 'acme' });
    [ada, vic, sam] = [await member('ada'), await member('vic'), await member('sam')];
    await http().put(`${project}/members/ada`).set(auth).send({ role: 'maintainer' }).expect(200);
    await http().put(`${project}/members/vic`).set(auth).send({ role: 'viewer' }).expect(200);
    await http().put(`${project}/variables/TOKEN`).set(ada).send({ value: secret, secret: true }).expect(200);
    await http().put(`${project}/variables/MODE`).set(ada).send({ value: 'plain' }).expect(200);
    const channel = await http()
      .post('/notifications/channels')
      .set(ada)
      .send({
        name: 'gone',
        kind: 'slack',
        url: 'http://127.0.0.1:9/hook',
        topics: ['deployment.failed'],
        project: { org: 'acme', repo: 'gone' },
      })
      .expect(201);
    channelId = channel.body.id;
  });
  after(() => manager.stop());

  it('refuses a viewer, a stranger and a wrong confirmation, changing nothing', async () => {
    const viewer = await http().delete(project).set(vic).send({ confirm: 'acme/gone' }).expect(403);
    assert.equal(viewer.body.message, 'this needs the maintainer role on acme/gone: you are its viewer');
    const stranger = await http().delete(project).set(sam).send({ confirm: 'acme/gone' }).expect(404);
    assert.equal(stranger.body.message, 'project acme/gone does not exist');
    const slip = await http().delete(project).set(ada).send({ confirm: 'acme/other' }).expect(409);
    assert.equal(slip.body.message, 'type acme/gone as confirm to remove the project');
    await http().delete(project).set(ada).send({}).expect(400);
    assert.equal((await http().get(`${project}/variables`).set(ada).expect(200)).body.variables.length, 2);
    assert.deepEqual(await events('DataKeyDestroyed'), []);
  });

  it('removes it with its roles, channels and configuration, and destroys its data key for good', async () => {
    const [changed] = (await events('ConfigurationChanged')) as unknown as ConfigurationChanged[];
    const sealed = changed.data.set.find(({ name }) => name === 'TOKEN')!.sealed!;
    const keys = manager.app.get(DataKeys);
    const context = variableContext('acme', 'gone', { name: 'TOKEN', service: null });
    assert.equal(await keys.unseal('acme/gone', sealed, context), secret);

    await http().delete(project).set(ada).send({ confirm: 'acme/gone' }).expect(204);

    assert.equal(
      (await http().get(project).set(auth).expect(404)).body.message,
      'project acme/gone does not exist',
    );
    await http().get(`${project}/variables`).set(ada).expect(404);
    assert.deepEqual((await http().get('/projects').set(ada).expect(200)).body, []);
    await http().get(`/notifications/channels/${channelId}`).set(auth).expect(404);
    // Its ciphertext is still in the log, which stays whole, and no key opens it any more.
    await assert.rejects(
      keys.unseal('acme/gone', sealed, context),
      /a value of acme\/gone is sealed with data key .*, which was destroyed \(project acme\/gone removed\): give it again/,
    );
    assert.equal(await db().collection('data_keys').countDocuments({ scope: 'acme/gone' }), 0);
    const [destroyed] = await events('DataKeyDestroyed');
    assert.deepEqual([destroyed.data.keyId, destroyed.metadata.actor], [sealed.key, 'member:ada']);
    assert.equal((await events('ProjectRemoved')).length, 1);
    assert.deepEqual((await events('ConfigurationChanged')).at(-1)!.data.removed.length, 2);
    assert.equal((await http().get('/audit/verify').set(auth).expect(200)).body.ok, true);
  });

  it('lets the repository become a project again, with a new data key and nothing of the old one', async () => {
    await http().put(`${project}/members/ada`).set(auth).send({ role: 'maintainer' }).expect(200);
    const variables = await http().get(`${project}/variables`).set(ada).expect(200);
    assert.deepEqual(variables.body.variables, []);
    await http().put(`${project}/variables/TOKEN`).set(ada).send({ value: 'new', secret: true }).expect(200);
    const created = await events('DataKeyCreated');
    assert.equal(created.filter(({ data }) => data.scope === 'acme/gone').length, 2);
    const [, again] = (await events('ConfigurationChanged')).slice(-2) as unknown as ConfigurationChanged[];
    const sealed = again.data.set[0].sealed!;
    const context = variableContext('acme', 'gone', { name: 'TOKEN', service: null });
    assert.equal(await manager.app.get(DataKeys).unseal('acme/gone', sealed, context), 'new');
  });

  it('starts nothing on a project while it is being removed, and ends a deployment that was waiting to run', async () => {
    await http().put('/projects/acme/busy/members/ada').set(auth).send({ role: 'maintainer' }).expect(200);
    const waiting = new Deployment(randomUUID());
    await manager.app.get(ProjectRemovals).run('acme', 'busy', async () => {
      const refusals = [
        await http().post('/deployments').set(ada).send({ org: 'acme', repo: 'busy' }),
        await http().put('/projects/acme/busy/variables/X').set(ada).send({ value: '1' }),
        await http()
          .post('/notifications/channels')
          .set(ada)
          .send({
            name: 'late',
            kind: 'slack',
            url: 'http://127.0.0.1:9/hook',
            topics: ['deployment.failed'],
            project: { org: 'acme', repo: 'busy' },
          }),
      ];
      for (const { status, body } of refusals) {
        assert.deepEqual(
          [status, body.message],
          [409, 'acme/busy is being removed: nothing new starts on it'],
        );
      }
      // A deployment asked for just before the removal began, its run waiting for the repository's lock: it
      // must not bring the project back when its turn comes.
      const source = { org: 'acme', repo: 'busy', branch: 'main', composePath: 'docker-compose.yml' };
      waiting.request(DeploymentSource.create(source), 'admin', 0);
      const cause = { actor: 'admin', correlationId: waiting.id, causationId: null };
      await manager.app.get(DeploymentRepository).save(waiting, cause);
      await manager.app.get(CommandBus).execute(new RunDeploymentCommand(waiting.id, cause));
    });
    let status = '';
    for (let tries = 0; tries < 100 && status !== 'removed'; tries++, await sleep(20)) {
      status = (await http().get(`/deployments/${waiting.id}`).set(auth).expect(200)).body.status;
    }
    assert.equal(status, 'removed');
  });
});
