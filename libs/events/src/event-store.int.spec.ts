import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Db, MongoClient } from 'mongodb';
import { testDatabaseUrl } from '../../../test/support/database';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';

const cause = { actor: 'tester', correlationId: 'c1', causationId: null };

describe('EventStore on the real database', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  before(async () => {
    client = await MongoClient.connect(testDatabaseUrl('events'));
    db = client.db();
    store = new EventStore(db, { source: 'test' });
    await store.init();
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('appends to a stream and reads it forwards and backwards, with gapless global positions', async () => {
    const before = await store.headPosition();
    await store.append('s-1', 0, [{ type: 'A', data: { n: 1 } }], cause);
    await store.append(
      's-1',
      1,
      [
        { type: 'B', data: { n: 2 } },
        { type: 'C', data: { n: 3, skip: undefined } },
      ],
      cause,
    );
    const events = await store.readStream('s-1');
    assert.deepEqual(
      events.map((event) => [event.version, event.position, event.type, event.data]),
      [
        [1, before + 1, 'A', { n: 1 }],
        [2, before + 2, 'B', { n: 2 }],
        [3, before + 3, 'C', { n: 3 }],
      ],
    );
    const { metadata } = events[0];
    assert.deepEqual(
      { ...metadata, time: undefined },
      {
        actor: 'tester',
        correlationId: 'c1',
        causationId: null,
        commandId: null,
        source: 'test',
        time: undefined,
      },
    );
    assert.deepEqual(
      (await store.readStream('s-1', { backwards: true, fromVersion: 2 })).map((event) => event.version),
      [2, 1],
    );
    assert.deepEqual(
      (await store.readAll(before + 1, 10)).map((event) => event.position),
      [before + 2, before + 3],
    );
  });

  it('lets exactly one of two writers at the same expected version win, and writes nothing for the loser', async () => {
    await store.append('s-2', 0, [{ type: 'A', data: {} }], cause);
    const head = await store.headPosition();
    const results = await Promise.allSettled([
      store.append(
        's-2',
        1,
        [
          { type: 'First', data: {} },
          { type: 'First', data: {} },
        ],
        cause,
      ),
      store.append(
        's-2',
        1,
        [
          { type: 'Second', data: {} },
          { type: 'Second', data: {} },
        ],
        cause,
      ),
    ]);
    const rejected = results.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(rejected.length, 1);
    assert.ok(rejected[0].reason instanceof ConcurrencyError);
    assert.match(rejected[0].reason.message, /is at version 3, not 1/);
    const types = (await store.readStream('s-2')).map((event) => event.type);
    assert.ok(types.join() === 'A,First,First' || types.join() === 'A,Second,Second', types.join());
    assert.equal(await store.headPosition(), head + 2);
  });

  it('refuses a stale version and answers a repeated command that only another process has seen', async () => {
    // A second store knows nothing of what the first wrote: its quick first try meets the unique indexes.
    const other = new EventStore(db, { source: 'other' });
    await store.append('s-9', 0, [{ type: 'A', data: {} }], cause);
    const recorded = await store.append('s-9', 1, [{ type: 'B', data: {} }], { ...cause, commandId: 'k-9' });
    const head = await store.headPosition();
    await assert.rejects(
      other.append('s-9', 0, [{ type: 'Stale', data: {} }], cause),
      (error: unknown) => error instanceof ConcurrencyError && error.actualVersion === 2,
    );
    await assert.rejects(
      other.append('s-9', 1, [{ type: 'Stale', data: {} }], cause),
      (error: unknown) => error instanceof ConcurrencyError && error.actualVersion === 2,
    );
    const again = await other.append('s-9', 1, [{ type: 'B', data: { retried: true } }], {
      ...cause,
      commandId: 'k-9',
    });
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.events, recorded.events);
    // A group mixing a repeated command, a stale version and a good append settles each on its own.
    const mixed = await Promise.allSettled([
      other.append('s-9', 1, [{ type: 'B', data: {} }], { ...cause, commandId: 'k-9' }),
      other.append('s-9', 0, [{ type: 'Stale', data: {} }], cause),
      other.append('s-10', 0, [{ type: 'Fresh', data: {} }], cause),
    ]);
    assert.deepEqual(
      mixed.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      (await store.readStream('s-9')).map((event) => event.type),
      ['A', 'B'],
    );
    assert.equal(await store.headPosition(), head + 1);
    assert.deepEqual(await store.verify(), { ok: true, checked: head + 1, head: head + 1, firstBreak: null });
  });

  it('refuses an expected version ahead of the stream, so no stream gets a gap', async () => {
    await assert.rejects(store.append('s-3', 5, [{ type: 'A', data: {} }], cause), ConcurrencyError);
    assert.deepEqual(await store.readStream('s-3'), []);
  });

  it('answers a repeated command id with the events recorded the first time', async () => {
    const first = await store.append('s-4', 0, [{ type: 'Created', data: { id: 1 } }], {
      ...cause,
      commandId: 'k-1',
    });
    const again = await store.append('s-4', 0, [{ type: 'Created', data: { id: 2 } }], {
      ...cause,
      commandId: 'k-1',
    });
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.events, first.events);
    const racing = await Promise.all(
      [1, 2, 3].map((n) =>
        store.append(`s-5-${n}`, 0, [{ type: 'Created', data: { n } }], { ...cause, commandId: 'k-2' }),
      ),
    );
    assert.equal(racing.filter((result) => !result.duplicate).length, 1);
    assert.equal(new Set(racing.map((result) => result.events[0].position)).size, 1);
  });

  it('upcasts old schema versions on read and never rewrites the stored event', async () => {
    await store.append('s-6', 0, [{ type: 'Renamed', data: { name: 'old' } }], cause);
    const upcasting = new EventStore(db, {
      source: 'test',
      upcasters: [
        {
          type: 'Renamed',
          fromVersion: 1,
          upcast: (data) => ({ ...(data as object), title: 'added in v2' }),
        },
      ],
    });
    const [event] = await upcasting.readStream('s-6');
    assert.equal(event.schemaVersion, 2);
    assert.deepEqual(event.data, { name: 'old', title: 'added in v2' });
    const raw = await db.collection('events').findOne({ streamId: 's-6' });
    assert.equal(raw?.schemaVersion, 1);
    assert.deepEqual(raw?.data, { name: 'old' });
  });

  it('keeps data whose keys look like numbers verifiable, though objects list such keys first', async () => {
    await store.append('s-11', 0, [{ type: 'Ports', data: { 8080: 'web', 22: 'ssh', name: 'x' } }], cause);
    const [event] = await store.readStream('s-11');
    assert.deepEqual(event.data, { 22: 'ssh', 8080: 'web', name: 'x' });
    assert.equal((await store.verify()).ok, true);
  });

  it('writes no gap after a database that lost its last writes: the end it remembered is read again', async () => {
    // The database restarted without its last two appends (a server that had not synced them); this process
    // still remembers the end it committed, and the versions of the stream.
    await store.append('lost', 0, [{ type: 'Kept', data: {} }], cause);
    const kept = await store.headPosition();
    await store.append('lost', 1, [{ type: 'Lost', data: { n: 1 } }], cause);
    await store.append('lost', 2, [{ type: 'Lost', data: { n: 2 } }], cause);
    await db.collection('events').deleteMany({ position: { $gt: kept } });

    await assert.rejects(
      store.append('lost', 3, [{ type: 'After', data: {} }], cause),
      /stream lost is at version 1, not 3/,
    );
    const { events } = await store.append('lost', 1, [{ type: 'After', data: {} }], cause);
    assert.equal(events[0].position, kept + 1);
    const verified = await store.verify();
    assert.equal(verified.ok, true, JSON.stringify(verified.firstBreak));
  });

  it('verifies the hash chain and reports the first broken link after tampering', async () => {
    assert.deepEqual((await store.verify()).firstBreak, null);
    const target = (await store.readStream('s-1'))[1];
    await db.collection('events').updateOne({ position: target.position }, { $set: { 'data.n': 999 } });
    const tampered = await store.verify();
    assert.equal(tampered.ok, false);
    assert.deepEqual(tampered.firstBreak, {
      position: target.position,
      reason: 'content or link does not match the recorded hash',
    });
    await db.collection('events').updateOne({ position: target.position }, { $set: { 'data.n': 2 } });
    assert.equal((await store.verify()).ok, true);
    const removed = await db.collection('events').findOneAndDelete({ position: target.position });
    const missing = await store.verify();
    assert.equal(missing.firstBreak?.position, target.position);
    assert.match(missing.firstBreak?.reason ?? '', /missing/);
    await db.collection('events').insertOne(removed as object);
    assert.equal((await store.verify()).ok, true);
  });

  it('never hands out part of an append, even when a read limit or chunk falls inside it', async () => {
    const from = await store.headPosition();
    const five = [1, 2, 3, 4, 5].map((n) => ({ type: 'Part', data: { n } }));
    await store.append('s-7', 0, five, cause);
    await store.append('s-8', 0, [{ type: 'After', data: {} }], cause);
    const limited = await store.readAll(from, 2);
    assert.deepEqual(
      limited.map((event) => event.version),
      [1, 2, 3, 4, 5],
    );
    const chunks: number[][] = [];
    for await (const chunk of store.readRange(from, Infinity, 2))
      chunks.push(chunk.map((event) => event.position));
    assert.deepEqual(
      chunks.flat(),
      [1, 2, 3, 4, 5, 6].map((n) => from + n),
    );
    assert.ok(chunks.every((chunk) => chunk.length >= 1));
    const asOf = await store.readAll(from, 10, from + 3);
    assert.deepEqual(asOf, [], 'a position inside an append must not show part of it');
  });
});
