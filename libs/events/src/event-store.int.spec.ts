import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose, { Connection } from 'mongoose';
import { testDatabaseUrl } from '../../../test/support/database';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';

const cause = { actor: 'tester', correlationId: 'c1', causationId: null };

describe('EventStore on the real database', () => {
  let connection: Connection;
  let store: EventStore;

  before(async () => {
    connection = await mongoose.createConnection(testDatabaseUrl('events')).asPromise();
    store = new EventStore(connection);
    await store.init();
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('appends to a stream and reads it back in order with global positions', async () => {
    await store.append('s-1', 0, [{ type: 'A', data: { n: 1 } }], cause);
    await store.append(
      's-1',
      1,
      [
        { type: 'B', data: { n: 2 } },
        { type: 'C', data: { n: 3 } },
      ],
      cause,
    );
    const events = await store.readStream('s-1');
    assert.deepEqual(
      events.map((event) => [event.version, event.type, event.data]),
      [
        [1, 'A', { n: 1 }],
        [2, 'B', { n: 2 }],
        [3, 'C', { n: 3 }],
      ],
    );
    const positions = events.map((event) => event.position);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    assert.equal(new Set(positions).size, 3);
    assert.equal(events[0].metadata.actor, 'tester');
  });

  it('lets exactly one of two writers at the same expected version win, writing nothing for the loser', async () => {
    await store.append('s-2', 0, [{ type: 'A', data: {} }], cause);
    const results = await Promise.allSettled([
      store.append('s-2', 1, [{ type: 'Winner1', data: {} }], cause),
      store.append('s-2', 1, [{ type: 'Winner2', data: {} }], cause),
    ]);
    const rejected = results.filter((result) => result.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.ok((rejected[0] as PromiseRejectedResult).reason instanceof ConcurrencyError);
    assert.equal((await store.readStream('s-2')).length, 2);
  });
});
