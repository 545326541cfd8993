import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

describe('Manager REST: the allow-list of organisations (real database)', () => {
  let manager: ManagerApp;
  const deploy = (org: string) =>
    manager.http().post('/deployments').set(auth).send({ org, repo: 'site', composePath: 'compose.yml' });

  before(async () => {
    manager = await ManagerApp.start('organisations', { ALLOWED_ORGS: 'Testausserveri,demo' });
  });

  after(() => manager.stop());

  it('starts from ALLOWED_ORGS, recorded once as the configuration', async () => {
    const list = await manager.http().get('/organisations').set(auth).expect(200);
    assert.deepEqual(
      list.body.map(({ org, allowedBy }: { org: string; allowedBy: string }) => [org, allowedBy]),
      [
        ['demo', 'config'],
        ['testausserveri', 'config'],
      ],
    );
    await manager.http().get('/organisations').expect(401);
  });

  it('allows an organisation through the API, after which its repositories deploy', async () => {
    assert.equal((await deploy('newcomers')).status, 403);
    const added = await manager
      .http()
      .post('/organisations')
      .set(auth)
      .send({ org: 'NewComers' })
      .expect(201);
    assert.deepEqual(added.body, { org: 'newcomers' });
    assert.equal((await deploy('newcomers')).status, 202);
    await manager.http().post('/organisations').set(auth).send({ org: 'newcomers' }).expect(409);
    const bad = await manager.http().post('/organisations').set(auth).send({ org: '-bad' }).expect(400);
    assert.match(String(bad.body.message), /not a valid GitHub organisation name/);
    await manager.http().post('/organisations').set(auth).send({ org: 'x', more: 1 }).expect(400);
  });

  it('disallows an organisation: new deployments are refused with the reason, and the change is audited', async () => {
    await manager.http().delete('/organisations/demo').set(auth).expect(204);
    const refused = await deploy('demo');
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /"demo" is not on the allow-list/);
    await manager.http().delete('/organisations/demo').set(auth).expect(404);
    const audit = await manager.http().get('/audit?streamId=allow-list&order=oldest').set(auth).expect(200);
    assert.deepEqual(
      audit.body.entries.map((entry: { type: string; actor: string; data: { org: string } }) => [
        entry.type,
        entry.data.org,
        entry.actor,
      ]),
      [
        ['OrganisationAllowed', 'testausserveri', 'config'],
        ['OrganisationAllowed', 'demo', 'config'],
        ['OrganisationAllowed', 'newcomers', 'admin'],
        ['OrganisationDisallowed', 'demo', 'admin'],
      ],
    );
  });
});
