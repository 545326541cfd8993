import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { eventHash, EventStore, GENESIS_HASH, StoredEvent } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../../test/support/manager-app';
import { HeadAnchorer } from './head-anchorer';

const HEAD_FILE = 'audit-anchor.json';

/**
 * What someone who can write the database but not the Manager's state directory can do: change an event and
 * recompute every hash (and insert link) after it, so the chain checks out on its own.
 */
async function rewriteAndRehash(store: EventStore, position: number, actor: string): Promise<void> {
  const events = await store.events
    .find({}, { projection: { _id: 0 } })
    .sort({ position: 1 })
    .toArray();
  let previous = GENESIS_HASH;
  for (const event of events) {
    const changed: StoredEvent =
      event.position === position ? { ...event, metadata: { ...event.metadata, actor } } : event;
    const hash = eventHash(changed, previous);
    const after = changed.write === changed.position ? { after: previous } : {};
    await store.events.updateOne(
      { position: event.position },
      { $set: { metadata: changed.metadata, hash, ...after } },
    );
    previous = hash;
  }
}

describe('signed heads of the event log (kept outside the database)', () => {
  let manager: ManagerApp;
  const verify = async () => (await manager.http().get('/audit/verify').set(auth).expect(200)).body;
  const addMember = (name: string) => manager.http().post('/members').set(auth).send({ name }).expect(201);

  beforeEach(async () => {
    manager = await ManagerApp.start('anchor');
    for (const name of ['alice', 'bob', 'carol']) await addMember(name);
    await manager.get(HeadAnchorer).anchor();
  });
  afterEach(() => manager.stop());

  it('signs the head with a key of its own, and verify checks the log against it', async () => {
    const store = manager.get(EventStore);
    const report = await verify();
    assert.equal(report.ok, true);
    assert.equal(report.signedHead.position, await store.headPosition());
    const key = await stat(join(manager.stateDir, 'audit-anchor-key.pem'));
    assert.equal(key.mode & 0o777, 0o600);
    await addMember('dave');
    await manager.get(HeadAnchorer).anchor();
    assert.equal((await verify()).signedHead.position, await store.headPosition());
  });

  it('finds a log rewritten and rehashed from an earlier event on', async () => {
    const store = manager.get(EventStore);
    const signed = (await verify()).signedHead.position;
    await rewriteAndRehash(store, 2, 'mallory');
    assert.equal((await store.verify()).ok, true, 'the rehashed chain checks out on its own');
    const report = await verify();
    assert.equal(report.ok, false);
    assert.equal(report.firstBreak.position, signed);
    assert.match(report.firstBreak.reason, /does not match its signed head.*rewritten/);
    // Nor is the rewritten log signed as it grows.
    const before = await readFile(join(manager.stateDir, HEAD_FILE), 'utf8');
    await addMember('dave');
    await manager.get(HeadAnchorer).anchor();
    assert.equal(await readFile(join(manager.stateDir, HEAD_FILE), 'utf8'), before);
    assert.equal((await verify()).ok, false);
  });

  it('finds events removed from the end of the log', async () => {
    const store = manager.get(EventStore);
    const head = await store.headPosition();
    await store.events.deleteMany({ position: { $gt: head - 2 } });
    assert.equal((await store.verify()).ok, true, 'what is left checks out on its own');
    const report = await verify();
    assert.equal(report.ok, false);
    assert.match(
      report.firstBreak.reason,
      new RegExp(`ends at ${head - 2}, before its signed head at ${head}`),
    );
  });

  it('reports a signed head that was changed', async () => {
    const file = join(manager.stateDir, HEAD_FILE);
    const head = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...head, position: head.position - 1 }));
    const report = await verify();
    assert.equal(report.ok, false);
    assert.match(report.firstBreak.reason, /does not hold a head signed with this Manager's anchor key/);
  });
});
