import { Collection, Document, MongoBulkWriteError, OptionalUnlessRequiredId } from 'mongodb';

/**
 * Inserts documents whose unique key may already be present (a batch delivered again), skipping those: an
 * idempotent create that is cheaper than an upsert per document.
 */
export async function insertNew<D extends Document>(
  collection: Collection<D>,
  documents: OptionalUnlessRequiredId<D>[],
) {
  if (documents.length === 0) return;
  try {
    await collection.insertMany(documents, { ordered: false });
  } catch (error) {
    const failures =
      error instanceof MongoBulkWriteError ? ([] as { code: number }[]).concat(error.writeErrors) : [];
    if (failures.length === 0 || failures.some((failure) => failure.code !== 11000)) throw error;
  }
}
