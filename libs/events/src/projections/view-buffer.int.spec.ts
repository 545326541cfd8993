import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Collection, Db, MongoClient } from 'mongodb';
import { testDatabaseUrl } from '../../../../test/support/database';
import { StoredEvent } from '../stored-event';
import { Projection, Views } from './projection';
import { ViewBuffer } from './view-buffer';

interface Tally {
  _id: string;
  count: number;
  position: number;
  tag?: string;
}

/** Counts `Tallied` events per key, once each (position guard); `Dropped` deletes the key's tally. */
const tallies: Projection<Tally> = {
  name: 'tallies',
  version: 1,
  indexes: [],
  async apply(event: StoredEvent, views: Views<Tally>) {
    const { key, tag } = event.data as { key: string; tag?: string };
    if (event.type === 'Dropped') return views.delete(key);
    const current = (await views.get(key)) ?? { _id: key, count: 0, position: 0 };
    if (current.position >= event.position) return;
    views.put({
      ...current,
      count: current.count + 1,
      position: event.position,
      ...(tag && { tag }),
    });
  },
};

function events(keys: string[], from = 1, type = 'Tallied', tag?: string): StoredEvent[] {
  return keys.map((key, index) => ({
    streamId: `tally-${key}`,
    version: 1,
    position: from + index,
    type,
    schemaVersion: 1,
    data: { key, tag },
    metadata: {
      actor: 't',
      correlationId: 'c',
      causationId: null,
      commandId: null,
      source: 't',
      time: new Date(0),
    },
    batch: { first: from, last: from + keys.length - 1 },
    hash: '',
  }));
}

async function counts(collection: Collection<Tally>): Promise<Record<string, number>> {
  const all = await collection.find().sort({ _id: 1 }).toArray();
  return Object.fromEntries(all.map((tally) => [tally._id, tally.count]));
}

describe('ViewBuffer on the real database', () => {
  let client: MongoClient;
  let db: Db;
  let finds = 0;

  before(async () => {
    client = await MongoClient.connect(testDatabaseUrl('view-buffer'), { monitorCommands: true });
    client.on('commandStarted', (started) => {
      if (started.commandName === 'find') finds++;
    });
    db = client.db();
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('folds in memory and writes inserts, replacements and deletes on flush', async () => {
    const collection = db.collection<Tally>('written');
    const buffer = new ViewBuffer(tallies, collection, false);
    await buffer.apply(events(['a', 'b', 'a', 'c']));
    assert.equal(buffer.changes, 3);
    assert.deepEqual(await counts(collection), {}, 'nothing is written before the flush');
    await buffer.flush();
    assert.deepEqual(await counts(collection), { a: 2, b: 1, c: 1 });
    await buffer.apply([...events(['b'], 5), ...events(['c'], 6, 'Dropped')]);
    await buffer.flush();
    assert.deepEqual(await counts(collection), { a: 2, b: 2 });
  });

  it('ends as if once when a restarted follower gets the same events again', async () => {
    const collection = db.collection<Tally>('redelivered');
    const batch = events(['a', 'b', 'a']);
    const first = new ViewBuffer(tallies, collection, false);
    await first.apply(batch);
    await first.flush();
    const restarted = new ViewBuffer(tallies, collection, false);
    await restarted.apply([...batch, ...events(['b'], 4)]);
    await restarted.flush();
    assert.deepEqual(await counts(collection), { a: 2, b: 2 });
  });

  it('over a collection it created, never reads ids it has not written', async () => {
    const collection = db.collection<Tally>('created');
    const buffer = new ViewBuffer(tallies, collection, true, 2);
    const before = finds;
    await buffer.apply(events(['a', 'b', 'c', 'd']));
    assert.equal(finds, before, 'new ids are known absent');
    await buffer.flush();
    // Over the cache limit, the flushed tallies were dropped from memory: they are read back when needed.
    await buffer.apply(events(['a', 'e'], 5));
    assert.equal(finds, before + 1);
    await buffer.flush();
    assert.deepEqual(await counts(collection), { a: 2, b: 1, c: 1, d: 1, e: 1 });
  });

  it('lets events be folded while a flush is being written, and writes flushes in order', async () => {
    const collection = db.collection<Tally>('overlapping');
    const buffer = new ViewBuffer(tallies, collection, true, 1);
    let position = 1;
    const flushes: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      const keys = Array.from({ length: 50 }, (_, n) => `k${(round * 7 + n) % 60}`);
      await buffer.apply(events(keys, position));
      position += keys.length;
      flushes.push(buffer.flush());
    }
    await Promise.all(flushes);
    const total = Object.values(await counts(collection)).reduce((sum, count) => sum + count, 0);
    assert.equal(total, 20 * 50);
  });

  it('on a failed write, deletes nothing it was to delete and forgets what was not written', async () => {
    const collection = db.collection<Tally>('failing');
    await collection.createIndex({ tag: 1 }, { unique: true, sparse: true });
    const buffer = new ViewBuffer(tallies, collection, false);
    await buffer.apply([...events(['kept', 'a']), ...events(['owner'], 3, 'Tallied', 'x')]);
    await buffer.flush();
    // The delete is collected first and the write the server refuses (a taken tag) last: deletes still go last.
    await buffer.apply([
      ...events(['kept'], 4, 'Dropped'),
      ...events(['a'], 5),
      ...events(['clash'], 6, 'Tallied', 'x'),
    ]);
    await assert.rejects(buffer.flush(), /duplicate key/);
    buffer.reset();
    assert.deepEqual(await counts(collection), { a: 2, kept: 1, owner: 1 });
    assert.equal(await buffer.get('clash'), undefined);
    assert.deepEqual(await buffer.get('a'), { _id: 'a', count: 2, position: 5 });
  });
});
