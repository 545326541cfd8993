import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Collection, MongoClient } from 'mongodb';
import { testDatabaseUrl } from '../../../test/support/database';
import { insertNew } from './insert-new';

describe('insertNew on the real database', () => {
  let client: MongoClient;
  let collection: Collection<{ position: number; note?: string }>;

  before(async () => {
    client = await MongoClient.connect(testDatabaseUrl('insert-new'));
    collection = client.db().collection('entries');
    await collection.createIndex({ position: 1 }, { unique: true });
  });

  after(async () => {
    await client.db().dropDatabase();
    await client.close();
  });

  it('creates what is new and skips what a redelivered batch already created', async () => {
    await insertNew(
      collection,
      [1, 2, 3].map((position) => ({ position, note: 'first' })),
    );
    await insertNew(
      collection,
      [2, 3, 4, 5].map((position) => ({ position, note: 'again' })),
    );
    const stored = await collection
      .find({}, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .toArray();
    assert.deepEqual(
      stored.map(({ position, note }) => [position, note]),
      [
        [1, 'first'],
        [2, 'first'],
        [3, 'first'],
        [4, 'again'],
        [5, 'again'],
      ],
    );
  });

  it('still reports errors other than duplicates', async () => {
    const tooLarge = { position: 20, note: 'x'.repeat(17 * 1024 * 1024) };
    await assert.rejects(
      insertNew(collection, [tooLarge]),
      (error: Error) => !/duplicate/i.test(error.message),
    );
  });
});
