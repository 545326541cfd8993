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
