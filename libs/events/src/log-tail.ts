import { Collection } from 'mongodb';
import { GENESIS_HASH } from './event-hash';
import { StoredEvent } from './stored-event';

/** The end of the committed log: the last event of the last complete append. */
export interface CommittedEnd {
  position: number;
  hash: string;
}

/** What the newest documents say about the end of the log. */
export type LogTail =
  | { state: 'committed'; end: CommittedEnd }
  /**
   * Something is being written after `end` (or its writer died mid-way, or it continues an insert that failed and
   * is about to be taken back): nothing may be added after it yet. `since` is when the newest of it was written.
   */
  | { state: 'writing'; end: CommittedEnd; since: Date };

const TAIL_FIELDS = { _id: 0, position: 1, batch: 1, hash: 1, write: 1, after: 1, 'metadata.time': 1 };

/**
 * Finds the committed end by walking back from the newest document past whatever is not committed: an append whose
 * last event is missing, or an insert whose link to the event before it is broken. Normally one query.
 */
export async function readTail(events: Collection<StoredEvent>): Promise<LogTail> {
  let below = Infinity;
  let since: Date | undefined;
  for (;;) {
    const newest = await events
      .find(below === Infinity ? {} : { position: { $lt: below } }, { projection: TAIL_FIELDS })
      .sort({ position: -1 })
      .limit(1)
      .next();
    const whole = newest && newest.position === newest.batch.last;
    if (!newest || (whole && (await linked(events, newest)))) {
      const end = newest
        ? { position: newest.position, hash: newest.hash }
        : { position: 0, hash: GENESIS_HASH };
      return since ? { state: 'writing', end, since } : { state: 'committed', end };
    }
    since ??= newest.metadata.time;
    below = whole ? (newest.write as number) : newest.batch.first;
  }
}

/**
 * Whether the insert `event` was written in continues the log: its first event's `after` is the hash of the event
 * before it. Ordered inserts stop at their first refusal, so a present event means all before it in its insert
 * are present too.
 */
export async function linked(
  events: Collection<StoredEvent>,
  event: Pick<StoredEvent, 'position' | 'write' | 'after'>,
): Promise<boolean> {
  if (event.write === undefined) return true;
  const [first, previous] = await Promise.all([
    event.position === event.write
      ? event
      : events.findOne({ position: event.write }, { projection: { _id: 0, write: 1, after: 1 } }),
    hashAt(events, event.write - 1),
  ]);
  return first?.write === event.write && first.after !== undefined && first.after === previous;
}

/** The hash of the event at `position` (the genesis hash before the first), if it is there. */
export async function hashAt(events: Collection<StoredEvent>, position: number): Promise<string | undefined> {
  if (position === 0) return GENESIS_HASH;
  return (await events.findOne({ position }, { projection: { _id: 0, hash: 1 } }))?.hash;
}

/**
 * The longest prefix of `events` (in position order, starting right after the reader's position `after`, whose
 * event has the hash `previous` if known) made of complete appends in inserts that continue the log.
 */
export function completePrefix(events: StoredEvent[], after: number, previous?: string): StoredEvent[] {
  let end = 0;
  let hash = previous;
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event.position !== after + index + 1) break;
    if (event.position === event.write && event.after !== hash) break;
    hash = event.hash;
    if (event.position === event.batch.last) end = index + 1;
  }
  return events.slice(0, end);
}

/** Whether `events` begin an insert, so that completePrefix needs the hash of the event before them. */
export function startsInsert(events: StoredEvent[]): boolean {
  return events.length > 0 && events[0].position === events[0].write;
}
