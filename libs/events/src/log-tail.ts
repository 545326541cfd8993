import { Collection } from 'mongodb';
import { GENESIS_HASH } from './event-hash';
import { StoredEvent } from './stored-event';

/** The end of the committed log: the last event of the last complete append. */
export interface CommittedEnd {
  position: number;
  hash: string;
}

/** What the newest document says about the end of the log. */
export type LogTail =
  | { state: 'committed'; end: CommittedEnd }
  /** An append is being written (or its writer died mid-way): nothing may be added after it yet. */
  | { state: 'writing'; end: CommittedEnd; since: Date; first: number };

export async function readTail(events: Collection<StoredEvent>): Promise<LogTail> {
  const newest = await events
    .find({}, { projection: { _id: 0, position: 1, batch: 1, hash: 1, 'metadata.time': 1 } })
    .sort({ position: -1 })
    .limit(1)
    .next();
  if (!newest) return { state: 'committed', end: { position: 0, hash: GENESIS_HASH } };
  if (newest.position === newest.batch.last) {
    return { state: 'committed', end: { position: newest.position, hash: newest.hash } };
  }
  const before = await events.findOne({ position: newest.batch.first - 1 }, { projection: { hash: 1 } });
  return {
    state: 'writing',
    end: { position: newest.batch.first - 1, hash: before?.hash ?? GENESIS_HASH },
    since: newest.metadata.time,
    first: newest.batch.first,
  };
}

/** The longest prefix of `events` (in position order, starting right after the reader's position) made of complete appends. */
export function completePrefix(events: StoredEvent[], after: number): StoredEvent[] {
  let end = 0;
  for (let index = 0; index < events.length; index++) {
    if (events[index].position !== after + index + 1) break;
    if (events[index].position === events[index].batch.last) end = index + 1;
  }
  return events.slice(0, end);
}
