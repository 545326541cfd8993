import { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates indexes one call each. FerretDB 1.24 drops the connection (a server-side panic) when one
 * `createIndexes` call names several indexes that already exist, which every restart does.
 */
export async function ensureIndexes<D extends Document>(
  collection: Collection<D>,
  indexes: IndexDescription[],
): Promise<void> {
  for (const index of indexes) await collection.createIndexes([index]);
}
