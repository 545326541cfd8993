import { EventEmitter } from 'node:events';
import { Collection, Db } from 'mongodb';
import { escapeRegex } from './escape-regex';
import { eventHash, GENESIS_HASH } from './event-hash';
import { ensureIndexes } from './indexes';
import { CommittedEnd, completePrefix, hashAt, linked, readTail, startsInsert } from './log-tail';
import { AppendResult, LogWriter, LogWriterOptions } from './log-writer';
import { AppendMetadata, NewEvent, StoredEvent } from './stored-event';
import { Upcaster, Upcasters } from './upcasters';

export type { AppendResult } from './log-writer';
export type { CommittedEnd } from './log-tail';
export { UNNAMED_WRITER } from './log-writer';

export interface EventStoreOptions extends LogWriterOptions {
  upcasters?: Upcaster[];
}

export interface ChainBreak {
  position: number;
  reason: string;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  head: number;
  firstBreak: ChainBreak | null;
}

/**
 * Append-only event log on MongoDB: one document per event, streams with optimistic concurrency, one gapless
 * global order with a hash chain over it, and appends that readers see whole or not at all. Appending is the
 * LogWriter's (group commit, inserts sent behind one another); reading and checking the log are here.
 */
export class EventStore {
  readonly events: Collection<StoredEvent>;
  private readonly upcasters: Upcasters;
  private readonly writer: LogWriter;
  private readonly appended = new EventEmitter();

  constructor(
    db: Db,
    private readonly options: EventStoreOptions,
  ) {
    this.events = db.collection<StoredEvent>('events');
    this.upcasters = new Upcasters(options.upcasters);
    this.appended.setMaxListeners(0);
    this.writer = new LogWriter(this.events, this.upcasters, options, (events) =>
      this.appended.emit('appended', events),
    );
  }

  async init(): Promise<void> {
    await ensureIndexes(this.events, [
      { key: { position: 1 }, name: 'position', unique: true },
      // (streamId, version) unique: the optimistic concurrency check's last line of defence.
      { key: { streamId: 1, version: 1 }, name: 'stream_version', unique: true },
      // Unique, so two processes can never both record one command; sparse, since only the first event of an
      // append with a command id carries the key. (Servers like mongo-java-server use only unique indexes.)
      { key: { commandKey: 1 }, name: 'command_key', unique: true, sparse: true },
    ]);
    // A previous run killed mid-append left it unfinished: out at once, not after a wait.
    if (this.options.recover?.length) await this.writer.recover();
  }

  /**
   * Appends `events` to a stream that must be exactly at `expectedVersion` (0 for a new stream). Resolves once
   * the events are committed (visible to readers), or rejects with ConcurrencyError having written nothing.
   * An append whose `metadata.commandId` was recorded before resolves with the earlier events instead.
   */
  append(
    streamId: string,
    expectedVersion: number,
    events: NewEvent[],
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    return this.writer.append(streamId, expectedVersion, events, metadata);
  }

  /** The last committed position. */
  async headPosition(): Promise<number> {
    return (await this.head()).position;
  }

  /** The last committed event's position and hash: what a signed anchor of the log records. */
  async head(): Promise<CommittedEnd> {
    return (await readTail(this.events)).end;
  }

  /** The hash of the event at `position` (the genesis hash at 0), if there is one. */
  hashAt(position: number): Promise<string | undefined> {
    return hashAt(this.events, position);
  }

  async readStream(streamId: string, options: { backwards?: boolean; fromVersion?: number } = {}) {
    const version = options.backwards
      ? { $lte: options.fromVersion ?? Infinity }
      : { $gte: options.fromVersion ?? 1 };
    const events = await this.events
      .find({ streamId, version }, { projection: { _id: 0 } })
      .sort({ version: options.backwards ? -1 : 1 })
      .toArray();
    const uncommitted = await this.uncommittedFrom(events);
    return events.filter((event) => event.position < uncommitted).map((event) => this.upcasters.apply(event));
  }

  /** The ids of the streams whose ids begin with `prefix`, each once, sorted: for the few streams of one kind. */
  async streamIdsWithPrefix(prefix: string): Promise<string[]> {
    const ids = await this.events.distinct('streamId', {
      streamId: { $regex: `^${escapeRegex(prefix)}` },
      version: 1,
    });
    return ids.sort();
  }

  /**
   * Where the stream's events stop being committed, if they do: only its newest append can still be being written
   * (its last event missing), or sit in an insert that continues one that failed (its link broken).
   */
  private async uncommittedFrom(events: StoredEvent[]): Promise<number> {
    const newest = events.reduce<StoredEvent | undefined>(
      (max, event) => (max && max.version > event.version ? max : event),
      undefined,
    );
    if (!newest) return Infinity;
    const whole =
      events.some((event) => event.position === newest.batch.last) ||
      (await this.events.findOne({ position: newest.batch.last }, { projection: { _id: 1 } }));
    if (!whole) return newest.batch.first;
    return (await linked(this.events, newest)) ? Infinity : (newest.write as number);
  }

  /** Committed events after `afterPosition` (up to `untilPosition`), oldest first, at most `limit`. */
  async readAll(afterPosition: number, limit: number, untilPosition = Infinity): Promise<StoredEvent[]> {
    if (untilPosition <= afterPosition) return [];
    // Nothing can follow unless the next position is taken: a look-up by key answers a follower's idle poll,
    // where the range query would scan the whole log on a server that uses indexes only for exact keys.
    const next = await this.events.findOne({ position: afterPosition + 1 }, { projection: { _id: 1 } });
    if (!next) return [];
    const events = await this.events
      .find({ position: { $gt: afterPosition, $lte: untilPosition } }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .limit(limit)
      .toArray();
    const previous = startsInsert(events) ? await hashAt(this.events, afterPosition) : undefined;
    // An append still being written is left for the next read; the limit may also cut one, likewise.
    const complete = completePrefix(events, afterPosition, previous);
    const whole =
      complete.length > 0 || events.length === 0 || events[0].batch.last > untilPosition
        ? complete
        : await this.wholeAppend(events[0], previous);
    return whole.map((event) => this.upcasters.apply(event));
  }

  /**
   * Committed events after `afterPosition` up to `untilPosition`, in whole appends of about `chunk` events, from
   * one sorted cursor: for replays, where repeated range queries would each scan the log again.
   */
  async *readRange(
    afterPosition: number,
    untilPosition = Infinity,
    chunk = 1000,
  ): AsyncGenerator<StoredEvent[]> {
    const cursor = this.events
      .find({ position: { $gt: afterPosition, $lte: untilPosition } }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .batchSize(chunk);
    let buffer: StoredEvent[] = [];
    let delivered = afterPosition;
    let previous: string | undefined; // the hash of the event before this one, once needed
    let beforeBuffer: string | undefined;
    for await (const event of cursor) {
      if (event.position !== delivered + buffer.length + 1) break; // a hole: an append still being written
      if (event.position === event.write) {
        previous ??= await hashAt(this.events, event.position - 1);
        if (event.after !== previous) break; // an insert that continues one that failed
      }
      if (buffer.length === 0) beforeBuffer = previous;
      previous = event.hash;
      buffer.push(event);
      if (buffer.length >= chunk && event.position === event.batch.last) {
        yield buffer.map((stored) => this.upcasters.apply(stored));
        delivered = event.position;
        buffer = [];
      }
    }
    await cursor.close();
    const complete = completePrefix(buffer, delivered, beforeBuffer);
    if (complete.length > 0) yield complete.map((stored) => this.upcasters.apply(stored));
  }

  /**
   * Calls `listener` with the events of each append this process commits, in position order; other processes'
   * commits are found by polling.
   */
  onAppend(listener: (events: StoredEvent[]) => void): () => void {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  /**
   * Walks the whole log, recomputing the hash chain; reports the first broken link, if any. With `anchor` (a
   * head recorded outside the database), the log must also reach it and hold its hash there: a chain rewritten and
   * rehashed from any earlier event on differs from it.
   */
  async verify(anchor?: CommittedEnd): Promise<ChainCheck> {
    const head = await this.headPosition();
    let previous = GENESIS_HASH;
    let expected = 1;
    const broken = (reason: string, position = expected) => ({
      ok: false,
      checked: expected - 1,
      head,
      firstBreak: { position, reason },
    });
    const events = this.events
      .find({ position: { $lte: head } }, { projection: { _id: 0 } })
      .sort({ position: 1 });
    for await (const event of events) {
      if (event.position !== expected)
        return broken(`expected position ${expected}, found ${event.position}: an event is missing`);
      if (eventHash(event, previous) !== event.hash)
        return broken('content or link does not match the recorded hash');
      if (anchor?.position === event.position && anchor.hash !== event.hash)
        return broken(
          'the log does not match its signed head here: it was rewritten at or before this position',
        );
      previous = event.hash;
      expected++;
    }
    if (expected - 1 !== head)
      return broken(`the log ends at ${expected - 1} but was committed up to ${head}`);
    if (anchor && anchor.position > head)
      return broken(
        `the log ends at ${head}, before its signed head at ${anchor.position}: events were removed`,
        anchor.position,
      );
    return { ok: true, checked: head, head, firstBreak: null };
  }

  /** The whole append `first` begins, `previous` being the hash of the event before it (if known). */
  private async wholeAppend(first: StoredEvent, previous: string | undefined): Promise<StoredEvent[]> {
    const events = await this.events
      .find({ position: { $gte: first.batch.first, $lte: first.batch.last } }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .toArray();
    return completePrefix(events, first.batch.first - 1, previous);
  }
}
