import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { H2Database } from '../../../../test/support/h2-database';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

/*
 * The Manager on the quick start's database (H2 backend), which is killed with SIGKILL and started again: while
 * it is down the API says so (503 with a reason, not 500), and afterwards every member it answered 201 for is
 * there and new ones can be added at once.
 */
describe('Manager: the database killed and started again (quick start database)', () => {
  let dir: string;
  let database: H2Database;
  let manager: ManagerApp;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-down-'));
    database = await H2Database.start(join(dir, 'manager.mv'));
    manager = await ManagerApp.start('database-down', { MONGO_URL: `${database.url}/testausdeploy` });
  });

  after(async () => {
    await manager?.stop();
    await database?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'answers 503 with a reason while the database is down, and has every acknowledged member after',
    { timeout: 120_000 },
    async () => {
      for (const name of ['ann', 'ben', 'cid', 'dee', 'eve']) {
        await manager.http().post('/members').set(auth).send({ name }).expect(201);
      }
      await database.kill();
      const down = await manager.http().get('/members').set(auth);
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.match(down.body.message, /the database cannot be reached; try again in a moment/);
      assert.doesNotMatch(JSON.stringify(down.body), /127\.0\.0\.1|ECONNREFUSED/);

      await database.restart();
      const members = (await manager.http().get('/members').set(auth).expect(200)).body;
      assert.deepEqual(
        members.map(({ name }: { name: string }) => name),
        ['ann', 'ben', 'cid', 'dee', 'eve'],
      );
      await manager.http().post('/members').set(auth).send({ name: 'fay' }).expect(201);
      assert.equal((await manager.http().get('/audit/verify').set(auth).expect(200)).body.ok, true);
    },
  );
});
