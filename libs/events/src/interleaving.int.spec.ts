import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Db, MongoClient } from 'mongodb';
import { testDatabaseUrl } from '../../../test/support/database';
import { eventHash } from './event-hash';
import { ConcurrencyError } from './errors';
import { EventStore, UNNAMED_WRITER } from './event-store';
import { StoredEvent } from './stored-event';

const cause = { actor: 'tester', correlationId: 'c', causationId: null };

/**
 * Two stores on one database stand for two Manager processes. The classic "late commit" gap (a reader passes
 * position p+1 while p is still being written, and never comes back for p) must not happen to readers.
 */
describe('event log under interleaved writers', () => {
  let client: MongoClient;
  let db: Db;
  let first: EventStore;
  let second: EventStore;

  before(async () => {
    client = await MongoClient.connect(testDatabaseUrl('interleaving'));
    db = client.db();
    first = new EventStore(db, { source: 'first', writer: 'first-writer' });
    second = new EventStore(db, { source: 'second', writer: 'second-writer', waitMs: 1000 });
    await first.init();
    await second.init();
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  /**
   * Documents of a three-event append by `writer`, still inserting, chained to the committed end, written at
   * `time` by its clock.
   */
  async function appendInProgress(writer = 'stalled', time = new Date()): Promise<StoredEvent[]> {
    const head = await first.headPosition();
    const [end] = await first.readAll(head - 1, 1);
    const batch = { first: head + 1, last: head + 3 };
    let previous = end.hash;
    return [1, 2, 3].map((version) => {
      const unhashed = {
        streamId: `stalled-${head}`,
        version,
        position: head + version,
        batch,
        type: 'Stalled',
        schemaVersion: 1,
        data: { version },
        metadata: { ...cause, commandId: null, source: 'stalled', time },
      };
      previous = eventHash(unhashed, previous);
      return { ...unhashed, hash: previous, writer };
    });
  }

  /** `count` one-event appends written as one insert after `position`, continuing the hash `after`. */
  function chain(
    position: number,
    after: string,
    streamId: string,
    count: number,
    writer?: string,
  ): StoredEvent[] {
    let previous = after;
    return Array.from({ length: count }, (_, index) => {
      const unhashed = {
        streamId,
        version: index + 1,
        position: position + index + 1,
        batch: { first: position + index + 1, last: position + index + 1 },
        type: 'Chained',
        schemaVersion: 1,
        data: { index },
        metadata: { ...cause, commandId: null, source: streamId, time: new Date() },
      };
      const hash = eventHash(unhashed, previous);
      const link = index === 0 ? { after: previous } : {};
      previous = hash;
      return { ...unhashed, hash, write: position + 1, ...link, ...(writer && { writer }) };
    });
  }

  it('shows readers an append only once it is whole, and never skips one that finishes late', async () => {
    await first.append('a', 0, [{ type: 'One', data: {} }], cause);
    const head = await first.headPosition();
    const slow = await appendInProgress();
    await db.collection('events').insertMany(slow.slice(0, 2).map((event) => ({ ...event })));

    assert.deepEqual(await first.readAll(head, 10), [], 'a reader saw half an append');
    assert.equal(await first.headPosition(), head);
    assert.deepEqual(await first.readStream(slow[0].streamId), []);

    await db.collection('events').insertOne({ ...slow[2] });
    assert.deepEqual(
      (await first.readAll(head, 10)).map((event) => event.position),
      [head + 1, head + 2, head + 3],
    );
    assert.equal((await first.verify()).ok, true);
  });

  it("never removes another writer's unfinished append, however old its clock says it is: a stalled writer finishes and loses nothing", async () => {
    const head = await first.headPosition();
    // Ten minutes old by its writer's clock: stalled that long, or a clock that far behind.
    const stalled = await appendInProgress('stalled', new Date(Date.now() - 600_000));
    await db.collection('events').insertMany(stalled.slice(0, 2).map((event) => ({ ...event })));

    await assert.rejects(
      second.append('b', 0, [{ type: 'Two', data: {} }], cause),
      /stayed busy for 1000 ms: an append by writer stalled \(written at .* by its clock\) is unfinished at its end, still being written or left by a writer that stopped; only that writer, or its next start, removes it/,
    );
    assert.equal(await db.collection('events').countDocuments({ position: { $gt: head } }), 2);

    // The stalled writer wakes and finishes its append: it is whole, and the next append goes after it.
    await db.collection('events').insertOne({ ...stalled[2] });
    const { events } = await second.append('b', 0, [{ type: 'Two', data: {} }], cause);
    assert.equal(events[0].position, head + 4);
    assert.deepEqual(
      (await first.readAll(head, 10)).map((event) => event.type),
      ['Stalled', 'Stalled', 'Stalled', 'Two'],
    );
    assert.equal((await first.verify()).ok, true);
  });

  it('removes what a killed writer left unfinished when it starts again, before its first append', async () => {
    const head = await first.headPosition();
    const torn = await appendInProgress('killed');
    await db.collection('events').insertMany(torn.slice(0, 2).map((event) => ({ ...event })));
    // Another writer does not touch it...
    await assert.rejects(second.append('c', 0, [{ type: 'Three', data: {} }], cause), /writer killed/);
    // ...its next run does, as it starts.
    const restarted = new EventStore(db, { source: 'first', writer: 'killed-again', recover: ['killed'] });
    await restarted.init();
    assert.equal(await db.collection('events').countDocuments({ position: { $gt: head } }), 0);
    const { events } = await restarted.append('c', 0, [{ type: 'Three', data: {} }], cause);
    assert.equal(events[0].position, head + 1);
    assert.equal((await first.verify()).ok, true);
  });

  it('removes an unfinished append from before writers were named only for a run told to recover those', async () => {
    const head = await first.headPosition();
    const unnamed = (await appendInProgress()).map(({ writer: _, ...event }) => event);
    await db.collection('events').insertMany(unnamed.slice(0, 2));
    await assert.rejects(second.append('d', 0, [{ type: 'Four', data: {} }], cause), /writer \(unnamed\)/);
    const upgraded = new EventStore(db, { source: 'first', writer: 'upgraded', recover: [UNNAMED_WRITER] });
    await upgraded.init();
    const { events } = await upgraded.append('d', 0, [{ type: 'Four', data: {} }], cause);
    assert.equal(events[0].position, head + 1);
    assert.equal((await first.verify()).ok, true);
  });

  it('shows readers nothing of an insert that continues one that failed, and its writer takes it out', async () => {
    const head = await first.headPosition();
    const end = (await first.readAll(head - 1, 1))[0];
    // The winner of a race for head + 1, and an insert another writer sent behind its own try at head + 1,
    // which lost: contiguous, but chained to a hash that was never committed.
    const [winner] = chain(head, end.hash, 'winner', 1);
    const orphan = chain(head + 1, 'e'.repeat(64), 'orphan', 2, 'first-writer');
    await db.collection('events').insertMany([winner, ...orphan].map((event) => ({ ...event })));

    assert.deepEqual(
      (await first.readAll(head, 10)).map((event) => event.position),
      [head + 1],
    );
    const ranged: number[] = [];
    for await (const chunk of first.readRange(head)) ranged.push(...chunk.map((event) => event.position));
    assert.deepEqual(ranged, [head + 1]);
    assert.deepEqual(await first.readStream('orphan'), []);
    assert.equal(await first.headPosition(), head + 1);
    assert.equal((await first.verify()).ok, true);

    // Another writer waits behind it like behind an unfinished append; its own writer takes it out.
    await assert.rejects(
      second.append('after-orphan', 0, [{ type: 'Three', data: {} }], cause),
      /writer first-writer/,
    );
    const { events } = await first.append('after-orphan', 0, [{ type: 'Three', data: {} }], cause);
    assert.equal(events[0].position, head + 2);
    assert.deepEqual(await first.readStream('orphan'), []);
    assert.equal((await first.verify()).ok, true);
  });

  it('takes back an insert it sent behind one that lost a race, and commits those appends again', async () => {
    await first.append('warm', 0, [{ type: 'Warm', data: {} }], cause);
    // `first` remembers where the log ended; another process moves the end without it knowing.
    await second.append('interloper', 0, [{ type: 'Interloper', data: {} }], cause);
    const head = await first.headPosition();
    const sent: number[] = [];
    const insertMany = first.events.insertMany.bind(first.events);
    first.events.insertMany = ((documents: StoredEvent[], options) => {
      sent.push(...documents.map((event) => event.position));
      return insertMany(documents, options);
    }) as typeof first.events.insertMany;
    const seen: StoredEvent[] = [];
    let writing = true;
    const reader = (async () => {
      let position = head;
      while (writing || position < head + 4) {
        const batch = await first.readAll(position, 10);
        seen.push(...batch);
        position = batch.at(-1)?.position ?? position;
        if (batch.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    try {
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => first.append(`pipelined-${n}`, 0, [{ type: 'Tick', data: { n } }], cause)),
      );
      writing = false;
      await reader;
      assert.deepEqual(
        results.map((result) => result.events[0].position).sort(),
        [1, 2, 3, 4].map((n) => head + n),
      );
    } finally {
      delete (first.events as Partial<typeof first.events>).insertMany;
      writing = false;
    }
    // The first group met the interloper's position; the one sent behind it went in, was taken out, and its
    // positions were written again.
    assert.ok(sent.length > new Set(sent).size, `no insert was sent behind a failing one: ${sent}`);
    const log = await first.readAll(head, 10);
    assert.deepEqual(
      seen.map((event) => [event.position, event.hash]),
      log.map((event) => [event.position, event.hash]),
      'a reader saw an event that is not in the log',
    );
    assert.equal((await first.verify()).ok, true);
  });

  it('keeps an insert sent behind one whose reply was lost, once it finds that one went in', async () => {
    await first.append('warm-lost', 0, [{ type: 'Warm', data: {} }], cause);
    const head = await first.headPosition();
    const insertMany = first.events.insertMany.bind(first.events);
    let calls = 0;
    first.events.insertMany = (async (documents: StoredEvent[], options) => {
      // The first insert sent loses its reply, whichever of the two in flight the server finishes first.
      const call = calls++;
      const result = await insertMany(documents, options);
      if (call === 0) throw new Error('connection lost after the write');
      return result;
    }) as typeof first.events.insertMany;
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled(
        [1, 2, 3, 4].map((n) =>
          first.append(`lost-${n}`, 0, [{ type: 'Tick', data: { n } }], { ...cause, commandId: `lost-${n}` }),
        ),
      );
    } finally {
      delete (first.events as Partial<typeof first.events>).insertMany;
    }
    // The first group's caller hears of the error; the group sent behind it continues a write that did go in.
    assert.equal(calls, 2, 'the appends were not sent as two inserts');
    assert.equal(results[0].status, 'rejected');
    assert.match(String((results[0] as PromiseRejectedResult).reason), /connection lost/);
    assert.deepEqual(
      results.slice(1).map((result) => result.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    const log = await first.readAll(head, 10);
    assert.deepEqual(
      log.map((event) => event.streamId),
      ['lost-1', 'lost-2', 'lost-3', 'lost-4'],
    );
    // A retry of the command whose reply was lost is answered from the log.
    const again = await first.append('lost-1', 0, [{ type: 'Tick', data: { n: 1 } }], {
      ...cause,
      commandId: 'lost-1',
    });
    assert.equal(again.duplicate, true);
    assert.equal(again.events[0].position, head + 1);
    assert.equal((await first.verify()).ok, true);
  });

  it('delivers every event exactly once and in order to a reader while two processes write at once', async () => {
    const from = await first.headPosition();
    const writers = [first, second].flatMap((store, process) =>
      Array.from({ length: 8 }, async (_, writer) => {
        for (let n = 0; n < 25; n++) {
          const stream = `p${process}-w${writer}-s${n % 5}`;
          await store.append(stream, Math.floor(n / 5), [{ type: 'Tick', data: { n } }], cause);
        }
      }),
    );
    const seen: number[] = [];
    let writing = true;
    const reader = (async () => {
      let position = from;
      while (writing || position < (await first.headPosition())) {
        const batch = await first.readAll(position, 37);
        for (const event of batch) seen.push(event.position);
        if (batch.length > 0) position = batch[batch.length - 1].position;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    const total = 2 * 8 * 25;
    assert.deepEqual(
      seen,
      Array.from({ length: total }, (_, index) => from + index + 1),
    );
    assert.equal((await first.verify()).ok, true);
  });

  it('notices appends of another process although it remembers where the log ended', async () => {
    await first.append('shared', 0, [{ type: 'ByFirst', data: {} }], cause);
    await second.append('shared', 1, [{ type: 'BySecond', data: {} }], cause);
    // `first` last saw the stream at version 1: the right expectation now is 2, and it must be accepted.
    await first.append('shared', 2, [{ type: 'ByFirst', data: {} }], cause);
    await second.append('other', 0, [{ type: 'BySecond', data: {} }], cause);
    await assert.rejects(first.append('shared', 2, [{ type: 'Stale', data: {} }], cause), ConcurrencyError);
    assert.deepEqual(
      (await first.readStream('shared')).map((event) => event.type),
      ['ByFirst', 'BySecond', 'ByFirst'],
    );
    assert.equal((await first.verify()).ok, true);
  });
});
