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
 * eventHash of an appended event, from the canonical JSON of its data and metadata (written once per event and once
 * per append) instead of walking the whole event again. canonical-json.spec.ts holds it equal to eventHash.
 */
export function appendedEventHash(
  event: Pick<StoredEvent, 'batch' | 'position' | 'schemaVersion' | 'streamId' | 'type' | 'version'>,
  json: { data: string; metadata: string },
  previousHash: string,
): string {
  // The members in sorted order, as canonicalJson writes them.
  const text =
    `{"batch":${canonicalJson(event.batch)},"data":${json.data},"metadata":${json.metadata},` +
    `"position":${event.position},"schemaVersion":${event.schemaVersion},` +
    `"streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)},` +
    `"version":${event.version}}`;
  return createHash('sha256').update(previousHash).update(text).digest('hex');
}
