import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Db } from 'mongodb';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { AuditEntry } from './audit-entry';

interface Page {
  entries: AuditEntry[];
  next: number | null;
}

describe('audit log API', () => {
  let manager: ManagerApp;
  const ids: string[] = [];
  let middle: string;

  before(async () => {
    manager = await ManagerApp.start('audit', { ALLOWED_ORGS: 'testausserveri' });
    for (const repo of ['one', 'two', 'three']) {
      const res = await manager.http().post('/deployments').set(auth).send({ org: 'testausserveri', repo });
      ids.push(res.body.deploymentId);
      if (repo === 'two') middle = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Each deployment fails (no Worker): wait for the three DeploymentFailed events.
    for (let tries = 0; tries < 100; tries++) {
      const page = await manager.http().get('/audit?type=DeploymentFailed').set(auth);
      if (page.body.entries?.length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(() => manager.stop());

  const audit = async (query: string): Promise<Page> =>
    (await manager.http().get(`/audit${query}`).set(auth).expect(200)).body;

  it('lists every event newest first, with who, what, when and why', async () => {
    // The allow-list seeded from ALLOWED_ORGS first, then three requests and their failures.
    const { entries } = await audit('');
    assert.equal(entries.length, 7);
    assert.equal(entries[entries.length - 1].type, 'OrganisationAllowed');
    assert.deepEqual(
      entries.map((entry) => entry.position),
      [7, 6, 5, 4, 3, 2, 1].map((n) => entries[entries.length - 1].position + n - 1),
    );
    const request = entries.find((entry) => entry.type === 'DeploymentRequested');
    assert.equal(request?.actor, 'admin');
    assert.equal(request?.source, 'manager');
    const failure = entries.find(
      (entry) => entry.type === 'DeploymentFailed' && entry.correlationId === ids[0],
    );
    assert.equal(failure?.actor, 'system');
    assert.match(failure?.causationId ?? '', /^deployment-.*@1$/);
  });

  it('filters by actor, stream, type, correlation id and time, oldest first on request', async () => {
    assert.equal((await audit('?actor=admin')).entries.length, 3);
    assert.equal((await audit(`?streamId=deployment-${ids[1]}`)).entries.length, 2);
    const mine = await audit(`?correlationId=${ids[2]}&order=oldest`);
    assert.deepEqual(
      mine.entries.map((entry) => entry.type),
      ['DeploymentRequested', 'DeploymentFailed'],
    );
    const later = await audit(`?type=DeploymentRequested&from=${encodeURIComponent(middle)}`);
    assert.deepEqual(
      later.entries.map((entry) => (entry.data as { repo: string }).repo),
      ['three'],
    );
    assert.equal((await audit('?to=2000-01-01T00:00:00Z')).entries.length, 0);
  });

  it('pages with a cursor in both directions without losing or repeating entries', async () => {
    for (const order of ['newest', 'oldest']) {
      const seen: number[] = [];
      let cursor = '';
      for (let pages = 0; pages < 10; pages++) {
        const page = await audit(`?order=${order}&limit=4${cursor}`);
        seen.push(...page.entries.map((entry) => entry.position));
        if (page.next === null) break;
        cursor = `&cursor=${page.next}`;
      }
      assert.equal(seen.length, 7);
      assert.equal(new Set(seen).size, 7);
    }
  });

  it('shows the log as it stood at an earlier position', async () => {
    const { entries } = await audit('');
    const third = entries[entries.length - 3].position;
    assert.equal((await audit(`?asOf=${third}`)).entries.length, 3);
  });

  it('refuses bad filters with 400 and names the field', async () => {
    const res = await manager.http().get('/audit?order=sideways&limit=0').set(auth);
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.body.message), /order/);
    assert.match(JSON.stringify(res.body.message), /limit/);
    await manager.http().get('/audit?from=tuesday').set(auth).expect(400);
  });

  it('verifies the hash chain, and reports the first tampered event', async () => {
    const ok = await manager.http().get('/audit/verify').set(auth).expect(200);
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.checked, ok.body.head);
    const db = manager.get(Db);
    const { entries } = await audit('?order=oldest&limit=2');
    await db
      .collection('events')
      .updateOne({ position: entries[1].position }, { $set: { 'metadata.actor': 'mallory' } });
    const broken = await manager.http().get('/audit/verify').set(auth).expect(200);
    assert.equal(broken.body.ok, false);
    assert.equal(broken.body.firstBreak.position, entries[1].position);
  });
});
