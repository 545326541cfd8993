import { EventEmitter } from 'node:events';
import { Collection, Db, MongoBulkWriteError } from 'mongodb';
import { canonicalCopy, sortedKeys } from './canonical-json';
import { ConcurrencyError, WriterBusyError } from './errors';
import { eventHash, GENESIS_HASH, sortedEventHash } from './event-hash';
import { ensureIndexes } from './indexes';
import { CommittedEnd, completePrefix, readTail } from './log-tail';
import { AppendMetadata, EventMetadata, NewEvent, StoredEvent } from './stored-event';
import { Upcaster, Upcasters } from './upcasters';

export interface EventStoreOptions {
  /** Written into every event's metadata.source. */
  source: string;
  upcasters?: Upcaster[];
  /** Most events one insert carries when concurrent appends are grouped. */
  maxBatch?: number;
  /** How long an append may wait for other writers before giving up. */
  waitMs?: number;
  /** An unfinished append older than this is a dead writer's, and is removed so the log can go on. */
  abandonedAfterMs?: number;
}

export interface AppendResult {
  events: StoredEvent[];
  /** True when the command id was seen before: `events` are the ones recorded then, nothing new was written. */
  duplicate: boolean;
}

export interface ChainBreak {
  position: number;
  reason: string;
}

interface PendingAppend {
  streamId: string;
  expectedVersion: number;
  events: NewEvent[];
  metadata: AppendMetadata;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const DUPLICATE_KEY = 11000;

/**
 * Append-only event log on MongoDB: one document per event, streams with optimistic concurrency, one gapless
 * global order with a hash chain over it, and appends that readers see whole or not at all. Concurrent appends
 * of this process are grouped into one insert (group commit). Writers of different processes are ordered by
 * the unique index on `position` alone, since FerretDB's conditional updates are not atomic: see docs/events.md.
 */
export class EventStore {
  readonly events: Collection<StoredEvent>;
  private readonly upcasters: Upcasters;
  private readonly queue: PendingAppend[] = [];
  private flushing = false;
  private readonly appended = new EventEmitter();
  /**
   * The end of the log as this process last committed it, with the versions of the streams it wrote. Good until
   * another process appends, which this process notices when its next insert finds the position taken.
   */
  private known: { end: CommittedEnd; versions: Map<string, number> } | null = null;

  constructor(
    db: Db,
    private readonly options: EventStoreOptions,
  ) {
    this.events = db.collection<StoredEvent>('events');
    this.upcasters = new Upcasters(options.upcasters);
    this.appended.setMaxListeners(0);
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
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, expectedVersion, events, metadata, resolve, reject });
      void this.flush();
    });
  }

  /** The last committed position. */
  async headPosition(): Promise<number> {
    return (await readTail(this.events)).end.position;
  }

  async readStream(streamId: string, options: { backwards?: boolean; fromVersion?: number } = {}) {
    const version = options.backwards
      ? { $lte: options.fromVersion ?? Infinity }
      : { $gte: options.fromVersion ?? 1 };
    const events = await this.events
      .find({ streamId, version }, { projection: { _id: 0 } })
      .sort({ version: options.backwards ? -1 : 1 })
      .toArray();
    const unfinished = await this.unfinishedAppend(events);
    return events
      .filter((event) => event.batch.first !== unfinished)
      .map((event) => this.upcasters.apply(event));
  }

  /**
   * An append belongs to one stream, so only the stream's newest append can still be being written. Returns its
   * first position if its last event is missing.
   */
  private async unfinishedAppend(events: StoredEvent[]): Promise<number | undefined> {
    const newest = events.reduce<StoredEvent | undefined>(
      (max, event) => (max && max.version > event.version ? max : event),
      undefined,
    );
    if (!newest || events.some((event) => event.position === newest.batch.last)) return undefined;
    const last = await this.events.findOne({ position: newest.batch.last }, { projection: { position: 1 } });
    return last ? undefined : newest.batch.first;
  }

  /** Committed events after `afterPosition` (up to `untilPosition`), oldest first, at most `limit`. */
  async readAll(afterPosition: number, limit: number, untilPosition = Infinity): Promise<StoredEvent[]> {
    if (untilPosition <= afterPosition) return [];
    const events = await this.events
      .find({ position: { $gt: afterPosition, $lte: untilPosition } }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .limit(limit)
      .toArray();
    // An append still being written is left for the next read; the limit may also cut one, likewise.
    const complete = completePrefix(events, afterPosition);
    const whole =
      complete.length > 0 || events.length === 0 || events[0].batch.last > untilPosition
        ? complete
        : await this.wholeAppend(events[0]);
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
    for await (const event of cursor) {
      if (event.position !== delivered + buffer.length + 1) break; // a hole: an append still being written
      buffer.push(event);
      if (buffer.length >= chunk && event.position === event.batch.last) {
        yield buffer.map((stored) => this.upcasters.apply(stored));
        delivered = event.position;
        buffer = [];
      }
    }
    await cursor.close();
    const complete = completePrefix(buffer, delivered);
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

  /** Walks the whole log, recomputing the hash chain; reports the first broken link, if any. */
  async verify(): Promise<{ ok: boolean; checked: number; head: number; firstBreak: ChainBreak | null }> {
    const head = await this.headPosition();
    let previous = GENESIS_HASH;
    let expected = 1;
    const broken = (reason: string) => ({
      ok: false,
      checked: expected - 1,
      head,
      firstBreak: { position: expected, reason },
    });
    const events = this.events
      .find({ position: { $lte: head } }, { projection: { _id: 0 } })
      .sort({ position: 1 });
    for await (const event of events) {
      if (event.position !== expected)
        return broken(`expected position ${expected}, found ${event.position}: an event is missing`);
      if (eventHash(event, previous) !== event.hash)
        return broken('content or link does not match the recorded hash');
      previous = event.hash;
      expected++;
    }
    if (expected - 1 !== head)
      return broken(`the log ends at ${expected - 1} but was committed up to ${head}`);
    return { ok: true, checked: head, head, firstBreak: null };
  }

  private async wholeAppend(first: StoredEvent): Promise<StoredEvent[]> {
    const events = await this.events
      .find({ position: { $gte: first.batch.first, $lte: first.batch.last } }, { projection: { _id: 0 } })
      .sort({ position: 1 })
      .toArray();
    return completePrefix(events, first.batch.first - 1);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.commitBatch(batch).catch((error) => batch.forEach((append) => append.reject(error)));
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeBatch(): PendingAppend[] {
    const max = this.options.maxBatch ?? 1000;
    let size = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || size + this.queue[count].events.length <= max)) {
      size += this.queue[count++].events.length;
    }
    return this.queue.splice(0, count);
  }

  /** Writes one group of appends, retrying from a fresh look at the log whenever another writer got there first. */
  private async commitBatch(batch: PendingAppend[]): Promise<void> {
    const deadline = Date.now() + (this.options.waitMs ?? 10_000);
    let pending = batch;
    // The first try trusts the unique indexes to catch what it does not look up; anything it could not
    // settle is decided again with every look-up (see tryCommit).
    let thorough = false;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const tail = this.known
        ? { state: 'committed' as const, end: this.known.end }
        : await readTail(this.events);
      if (tail.state === 'writing') {
        if (Date.now() - tail.since.getTime() > (this.options.abandonedAfterMs ?? 60_000)) {
          // Its writer died mid-insert: nobody has seen these events, and they can never be completed.
          await this.events.deleteMany({ position: { $gte: tail.first } });
          continue;
        }
      } else {
        pending = await this.tryCommit(pending, tail.end, thorough).catch((error) => {
          this.known = null;
          throw error;
        });
        if (pending.length === 0) return;
        if (!thorough) {
          thorough = true;
          continue;
        }
      }
      if (Date.now() > deadline) throw new WriterBusyError(this.options.waitMs ?? 10_000);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * Settles what it can of the group after the committed `end`; returns the appends still to be decided.
   *
   * A quick try (`thorough` false) looks up neither command ids nor the next version of a stream: the unique
   * indexes on `commandKey` and `(streamId, version)` refuse the insert of a repeated command or of a version
   * that exists, and the insert then stops there like a lost position race. An append it cannot place (a
   * version that does not match) is left undecided rather than refused, since it may be a repeated command.
   */
  private async tryCommit(
    batch: PendingAppend[],
    from: CommittedEnd,
    thorough: boolean,
  ): Promise<PendingAppend[]> {
    const end = from.position;
    const [versions, earlier] = await Promise.all([
      this.streamVersions(batch, end, thorough),
      thorough ? this.earlierCommands(batch, end) : new Map<string, StoredEvent[]>(),
    ]);
    const settled: (() => void)[] = [];
    const undecided: PendingAppend[] = [];
    const inGroup = new Map<string, StoredEvent[]>();
    const planned: { append: PendingAppend; from: number }[] = [];
    for (const append of batch) {
      const commandId = append.metadata.commandId;
      const previous = commandId ? (earlier.get(commandId) ?? inGroup.get(commandId)) : undefined;
      if (previous) {
        // A retry, possibly of an append in this same group: answered with what the first try recorded.
        settled.push(() => append.resolve({ events: previous, duplicate: true }));
        continue;
      }
      const actual = versions.get(append.streamId);
      if (actual === undefined || (actual !== append.expectedVersion && !thorough)) {
        undecided.push(append);
        continue;
      }
      if (actual !== append.expectedVersion) {
        settled.push(() =>
          append.reject(new ConcurrencyError(append.streamId, append.expectedVersion, actual)),
        );
        continue;
      }
      versions.set(append.streamId, actual + append.events.length);
      planned.push({ append, from: actual });
      if (commandId) inGroup.set(commandId, []);
    }
    const written = this.documents(planned, end, from.hash);
    for (const { append, stored } of written) {
      if (append.metadata.commandId) inGroup.get(append.metadata.commandId)?.push(...stored);
    }
    const all = written.flatMap(({ stored }) => stored);
    if (
      all.length === 0 &&
      this.known &&
      (await this.events.findOne({ position: end + 1 }, { projection: { _id: 1 } }))
    ) {
      // Nothing to insert, so no insert proved the remembered end current; and another process has moved it.
      this.known = null;
      return batch;
    }
    const inserted = all.length > 0 ? await this.insert(all) : 0;
    if (inserted < all.length) {
      // Another writer took a position first, or a unique index refused a repeated command or a version that
      // exists. The appends wholly inserted before it are committed; the rest of the group is decided again
      // from the new end of the log.
      const committed = written.filter(
        ({ stored }) => stored[stored.length - 1].position < all[0].position + inserted,
      );
      committed.forEach(({ append, stored }) => append.resolve({ events: stored, duplicate: false }));
      this.announce(committed.flatMap(({ stored }) => stored));
      this.known = null;
      return batch.filter((append) => !committed.some((done) => done.append === append));
    }
    written.forEach(({ append, stored }) => append.resolve({ events: stored, duplicate: false }));
    settled.forEach((settle) => settle());
    this.announce(all);
    this.remember(from, all, versions);
    return undecided;
  }

  /** Keeps the new end and the stream versions as of it, so the next append of this process needs no reads. */
  private remember(from: CommittedEnd, written: StoredEvent[], versions: Map<string, number>): void {
    const last = written[written.length - 1];
    const end = last ? { position: last.position, hash: last.hash } : from;
    // Bounded: a long-running Manager touches many streams, and forgetting one costs only a query.
    this.known = { end, versions: versions.size > 10_000 ? new Map() : versions };
  }

  private announce(events: StoredEvent[]): void {
    if (events.length > 0) this.appended.emit('appended', events);
  }

  /** The group's documents, each append marked with its own first and last position, the chain continued. */
  private documents(planned: { append: PendingAppend; from: number }[], end: number, endHash: string) {
    const time = new Date();
    let position = end;
    let hash = endHash;
    return planned.map(({ append, from }) => {
      const batch = { first: position + 1, last: position + append.events.length };
      const { source } = this.options;
      const { commandId = null } = append.metadata;
      const metadata = sortedKeys({ ...append.metadata, commandId, source, time }) as EventMetadata;
      const stored = append.events.map((event, index) => {
        // Every key in sorted order, at every level, so that its JSON is its canonical JSON.
        const unhashed = {
          batch,
          data: canonicalCopy(event.data),
          metadata,
          position: ++position,
          schemaVersion: this.upcasters.currentVersion(event.type),
          streamId: append.streamId,
          type: event.type,
          version: from + index + 1,
        };
        hash = sortedEventHash(unhashed, hash);
        const commandKey = index === 0 ? (append.metadata.commandId ?? undefined) : undefined;
        return { ...unhashed, hash, ...(commandKey && { commandKey }) };
      });
      return { append, stored };
    });
  }

  /**
   * Inserts a group in position order and returns how many documents went in. Whoever inserts a position
   * first owns it: a writer that loses a race, or meets a unique index's refusal, stops at that document. The
   * unfinished append it was writing is taken back out (nobody has seen it); appends before it stand.
   */
  private async insert(documents: StoredEvent[]): Promise<number> {
    try {
      // The driver adds _id to what it inserts: give it copies.
      await this.events.insertMany(
        documents.map((document) => ({ ...document })),
        { ordered: true },
      );
      return documents.length;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.code !== DUPLICATE_KEY) throw error;
      // In an ordered insert the failing document's index is how many went in before it (some servers
      // miscount insertedCount).
      const [failed] = ([] as { index: number }[]).concat(error.writeErrors);
      const inserted = failed?.index ?? 0;
      const partial = documents[inserted]?.batch;
      if (partial && partial.first < documents[inserted].position) {
        await this.events.deleteMany({
          position: { $gte: partial.first, $lt: documents[inserted].position },
        });
        return partial.first - documents[0].position;
      }
      return inserted;
    }
  }

  /**
   * The version each stream of the group is at, as far as the group's expectations go. Every look-up is by an
   * exact index key (stream and version, command id, position): mongo-java-server scans the whole collection for
   * anything else, and these run on every append.
   */
  private async streamVersions(
    batch: PendingAppend[],
    end: number,
    thorough: boolean,
  ): Promise<Map<string, number>> {
    const cached = this.known?.end.position === end ? this.known.versions : new Map<string, number>();
    const expected = new Map<string, number>();
    for (const append of batch) {
      if (!cached.has(append.streamId) && !expected.has(append.streamId)) {
        expected.set(append.streamId, append.expectedVersion);
      }
    }
    const versions = await Promise.all(
      [...expected].map(async ([streamId, version]) => {
        const found = thorough
          ? await this.versionIfAt(streamId, version)
          : await this.versionIfReached(streamId, version);
        return [streamId, found] as const;
      }),
    );
    return new Map([
      ...cached,
      ...versions.filter((entry): entry is [string, number] => entry[1] !== undefined),
    ]);
  }

  /**
   * `version` if the stream has reached it, for a quick try: whether it went further is left to the unique
   * index, which refuses the next version if it exists. Versions are gapless, so version 0 is always reached.
   */
  private async versionIfReached(streamId: string, version: number): Promise<number | undefined> {
    if (version === 0) return 0;
    const at = await this.events.findOne({ streamId, version }, { projection: { _id: 1 } });
    return at ? version : undefined;
  }

  /** `version` if the stream is exactly there; otherwise its real version, found the slow way (a conflict). */
  private async versionIfAt(streamId: string, version: number): Promise<number> {
    const [at, next] = await Promise.all([
      version === 0 ? true : this.events.findOne({ streamId, version }, { projection: { _id: 1 } }),
      this.events.findOne({ streamId, version: version + 1 }, { projection: { _id: 1 } }),
    ]);
    if (at && !next) return version;
    const last = await this.events
      .find({ streamId }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .next();
    return last?.version ?? 0;
  }

  /** Earlier committed appends of the group's command ids, by id. */
  private async earlierCommands(batch: PendingAppend[], end: number): Promise<Map<string, StoredEvent[]>> {
    const ids = [
      ...new Set(batch.map((append) => append.metadata.commandId).filter((id): id is string => !!id)),
    ];
    const firsts = await Promise.all(
      ids.map((commandId) => this.events.findOne({ commandKey: commandId }, { projection: { _id: 0 } })),
    );
    const found = new Map<string, StoredEvent[]>();
    for (const first of firsts) {
      // One beyond the committed end is another writer's, still in flight: the insert will meet it and retry.
      if (!first || first.batch.last > end) continue;
      const positions = Array.from(
        { length: first.batch.last - first.batch.first + 1 },
        (_, i) => first.batch.first + i,
      );
      const events = await Promise.all(
        positions.map((position) => this.events.findOne({ position }, { projection: { _id: 0 } })),
      );
      found.set(
        first.metadata.commandId as string,
        events.map((event) => this.upcasters.apply(event as StoredEvent)),
      );
    }
    return found;
  }
}
