import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { StoredEvent } from './stored-event';

/** The hash the chain starts from: position 0, before any event. */
export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(event: Omit<StoredEvent, 'hash'>, previousHash: string): string {
  const { streamId, version, position, batch, type, schemaVersion, data, metadata } = event;
  return createHash('sha256')
    .update(previousHash)
    .update(canonicalJson({ streamId, version, position, batch, type, schemaVersion, data, metadata }))
    .digest('hex');
}

/**
 * eventHash of an event built with its keys in sorted order at every level (see canonical-json.ts), without sorting
 * them again: the hash of every append. canonical-json.spec.ts holds it equal to eventHash.
 */
export function sortedEventHash(event: Omit<StoredEvent, 'hash'>, previousHash: string): string {
  return createHash('sha256').update(previousHash).update(JSON.stringify(event)).digest('hex');
}
