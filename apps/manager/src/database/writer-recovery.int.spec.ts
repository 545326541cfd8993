import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Db } from 'mongodb';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ManagerConfig } from '../config/manager-config';

/*
 * A Manager killed in the middle of an append leaves its first events in the log and not the last. Nobody was
 * told they were recorded, and nobody can finish them: its next run removes them as it starts, and appends at
 * once. Anyone else leaves them alone, however old they look (tested in libs/events' interleaving tests).
 */
describe('Manager: what a killed run left half-written is gone when it starts again (real database)', () => {
  let stateDir: string;
  let restarted: ManagerApp;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'manager-state-'));
  });

  after(async () => {
    await restarted?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('removes the torn append at start-up and answers the next write at once', async () => {
    const killed = await ManagerApp.start('writer-recovery', { MANAGER_STATE_DIR: stateDir });
    await killed.http().post('/members').set(auth).send({ name: 'alice' }).expect(201);
    const { MONGO_URL } = killed.app.get(ManagerConfig);
    const { writer } = JSON.parse(await readFile(join(stateDir, 'event-writer.json'), 'utf8'));
    // Its next append got two of its three events in before the process died.
    const store = killed.get(EventStore);
    const [last] = await store.readAll((await store.headPosition()) - 1, 1);
    const torn: StoredEvent[] = [1, 2].map((n) => ({
      ...last,
      streamId: 'member-bob',
      version: n,
      position: last.position + n,
      batch: { first: last.position + 1, last: last.position + 3 },
      write: last.position + 1,
      after: last.hash,
      writer,
    }));
    const events = killed.get(Db).collection('events');
    await events.insertMany(torn.map(({ ...event }) => event));
    await killed.stopKeepingDatabase();

    restarted = await ManagerApp.start('writer-recovery', { MANAGER_STATE_DIR: stateDir, MONGO_URL });
    const after = restarted.get(Db).collection('events');
    assert.equal(
      await after.countDocuments({ position: { $gt: last.position } }),
      0,
      'the torn append is still there',
    );
    const res = await restarted.http().post('/members').set(auth).send({ name: 'bob' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual((await restarted.http().get('/audit/verify').set(auth).expect(200)).body.ok, true);
  });
});
