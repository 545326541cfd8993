import { randomBytes } from 'node:crypto';
import { Collection, MongoBulkWriteError } from 'mongodb';
import { canonicalCopy, canonicalJson } from './canonical-json';
import { ConcurrencyError, WriterBusyError } from './errors';
import { appendedEventHash } from './event-hash';
import { CommittedEnd, hashAt, linked, readTail } from './log-tail';
import { AppendMetadata, EventMetadata, NewEvent, StoredEvent } from './stored-event';
import { StreamLookups } from './stream-lookups';
import { Upcasters } from './upcasters';

export interface LogWriterOptions {
  /** Written into every event's metadata.source. */
  source: string;
  /** Most events one insert carries when concurrent appends are grouped. */
  maxBatch?: number;
  /** How long an append may wait for other writers before giving up. */
  waitMs?: number;
  /** Who this writer is, on every event it writes (random unless given): only it may remove what it left torn. */
  writer?: string;
  /**
   * Writers known to be dead: this process's previous runs (UNNAMED_WRITER for one from before writers were
   * named). What they left unfinished at the end of the log is removed at start-up (`recover`), since it can
   * never be finished, nor has anyone been told it was recorded.
   */
  recover?: string[];
}

/** The writer of events written before writers were named. */
export const UNNAMED_WRITER = '(unnamed)';

export interface AppendResult {
  events: StoredEvent[];
  /** True when the command id was seen before: `events` are the ones recorded then, nothing new was written. */
  duplicate: boolean;
}

interface PendingAppend {
  streamId: string;
  expectedVersion: number;
  events: NewEvent[];
  metadata: AppendMetadata;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** A group of appends planned to continue the log after `from`, and its insert, which may still be in flight. */
interface Group {
  batch: PendingAppend[];
  from: CommittedEnd;
  /** The versions of the streams written, as of the end of this group. */
  versions: Map<string, number>;
  written: { append: PendingAppend; stored: StoredEvent[] }[];
  all: StoredEvent[];
  /** Appends answered without writing (repeated commands, refused versions), once the group is committed. */
  settled: (() => void)[];
  /** Appends the group could not place: decided again by a thorough try. */
  undecided: PendingAppend[];
  /** How many of its documents went in. */
  inserted: Promise<number>;
  /**
   * For a group planned from the end this process remembers: whether that end is still in the log, looked up
   * while the insert runs. A database that lost its last writes (restored, or restarted without them) has
   * not, and an insert after it would leave a gap.
   */
  endStillThere?: Promise<boolean>;
}

const DUPLICATE_KEY = 11000;

/**
 * The writing half of the event store. Concurrent appends of this process are grouped into one ordered insert
 * (group commit), and while one group's insert is in flight the next group is sent behind it, continuing the log
 * from where the first will end: at most two inserts at a time, so the Manager's work on one overlaps the
 * server's on the other. An insert sent behind one that then fails is never read as committed (its link to the
 * event before it is broken, see log-tail.ts) and is taken back out. Writers of different processes are ordered
 * by the unique index on `position` alone, since FerretDB's conditional updates are not atomic: see
 * docs/events.md.
 */
export class LogWriter {
  private readonly queue: PendingAppend[] = [];
  private flushing = false;
  /**
   * The end of the log as this process last committed it, with the versions of the streams it wrote. Good until
   * another process appends, which this process notices when its next insert finds the position taken.
   */
  private known: { end: CommittedEnd; versions: Map<string, number> } | null = null;
  private readonly lookups: StreamLookups;
  /** Called when an append is queued, for a flush waiting to send a group behind the one in flight. */
  private arrived: (() => void) | null = null;
  readonly writer: string;

  constructor(
    private readonly events: Collection<StoredEvent>,
    private readonly upcasters: Upcasters,
    private readonly options: LogWriterOptions,
    /** Told of every committed append of this process, in position order. */
    private readonly announce: (events: StoredEvent[]) => void,
  ) {
    this.lookups = new StreamLookups(events, upcasters);
    this.writer = options.writer ?? randomBytes(6).toString('hex');
  }

  /** Removes the dead previous run's unfinished append at the end of the log, if it left one. */
  async recover(): Promise<void> {
    const tail = await readTail(this.events);
    if (tail.state === 'writing') await this.removeIfOurs(tail.end);
  }

  append(
    streamId: string,
    expectedVersion: number,
    events: NewEvent[],
    metadata: AppendMetadata,
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, expectedVersion, events, metadata, resolve, reject });
      this.arrived?.();
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const known = this.known;
        // With the end known, half of what waits goes first and the rest right behind it, both in flight.
        const batch = this.takeBatch(known ? 2 : 1);
        await (known ? this.commitPipelined(batch, known) : this.commitBatch(batch, false)).catch(
          rejectAll(batch),
        );
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The longest run of queued appends within `maxBatch` events and a `parts`th of the queue's events. */
  private takeBatch(parts = 1): PendingAppend[] {
    const queued = this.queue.reduce((sum, append) => sum + append.events.length, 0);
    const max = Math.min(this.options.maxBatch ?? 1000, Math.ceil(queued / parts));
    let size = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || size + this.queue[count].events.length <= max)) {
      size += this.queue[count++].events.length;
    }
    return this.queue.splice(0, count);
  }

  /**
   * Commits `batch` from the end this process remembers, and the groups queued behind it, each sent while the one
   * before is in flight. Whatever this quick way cannot settle goes through commitBatch, with nothing in flight.
   */
  private async commitPipelined(batch: PendingAppend[], known: NonNullable<LogWriter['known']>) {
    let group: Group | null = await this.plan(batch, known.end, known.versions, false, true);
    while (group) {
      const next = await this.follow(group);
      let left: PendingAppend[];
      try {
        left = await this.settle(group);
      } catch (error) {
        this.known = null;
        rejectAll(group.batch)(error);
        left = [];
      }
      if (left.length === 0 && this.known) {
        group = next;
        continue;
      }
      if (next) this.queue.unshift(...((await this.withdraw(next).catch(rejectAll(next.batch))) ?? []));
      if (left.length > 0) await this.commitBatch(left, true).catch(rejectAll(left));
      return;
    }
  }

  /**
   * The next group, planned and sent to continue the log where `group` will end, if it may be: from the appends
   * queued now, or from the first to arrive while `group` is still in flight.
   */
  private async follow(group: Group): Promise<Group | null> {
    if (group.all.length === 0 || group.undecided.length > 0) return null;
    // Nothing goes behind a group whose remembered end may be gone: another process could take the follower
    // for committed and build on it before the group is taken back out.
    if (group.endStillThere && !(await group.endStillThere.catch(() => false))) return null;
    if (this.queue.length === 0) {
      const arrival = new Promise<boolean>((resolve) => (this.arrived = () => resolve(true)));
      const inFlight = await Promise.race([
        arrival,
        group.inserted.then(
          () => false,
          () => false,
        ),
      ]);
      this.arrived = null;
      if (!inFlight) return null;
    }
    const last = group.all[group.all.length - 1];
    const batch = this.takeBatch();
    return this.plan(batch, { position: last.position, hash: last.hash }, group.versions, false).catch(
      (error) => {
        rejectAll(batch)(error);
        return null;
      },
    );
  }

  /**
   * A group sent behind one that did not wholly commit. If that one went in after all (its outcome was an error,
   * not a refusal), the group stands and is settled; otherwise it is taken back out before anyone builds on it
   * (nobody reads it: its link is broken) and its appends are returned to be queued again.
   */
  private async withdraw(group: Group): Promise<PendingAppend[]> {
    const inserted = await group.inserted;
    if (inserted > 0 && (await linked(this.events, group.all[0]))) return this.settle(group);
    const first = group.all[0]?.position ?? 0;
    if (inserted > 0) await this.events.deleteMany({ position: { $gte: first, $lt: first + inserted } });
    return group.batch;
  }

  /** Writes one group of appends, retrying from a fresh look at the log whenever another writer got there first. */
  private async commitBatch(batch: PendingAppend[], thorough: boolean): Promise<void> {
    const deadline = Date.now() + (this.options.waitMs ?? 10_000);
    let pending = batch;
    let waitingFor: { writers: string[]; since: Date } | undefined;
    // The first try trusts the unique indexes to catch what it does not look up; anything it could not
    // settle is decided again with every look-up (see plan).
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const known = this.known;
      const tail = known ? { state: 'committed' as const, end: known.end } : await readTail(this.events);
      waitingFor = undefined;
      if (tail.state === 'writing') {
        // Ours (an insert of this process that failed, none being in flight now) can never be finished: out it
        // goes. Another writer's is waited for, however old it looks: it may be stalled, not dead.
        const writers = await this.removeIfOurs(tail.end);
        if (!writers) continue;
        waitingFor = { writers, since: tail.since };
      } else {
        const versions = known?.end.position === tail.end.position ? known.versions : new Map();
        pending = await this.settle(await this.plan(pending, tail.end, versions, thorough)).catch((error) => {
          this.known = null;
          throw error;
        });
        if (pending.length === 0) return;
        if (!thorough) {
          thorough = true;
          continue;
        }
      }
      if (Date.now() > deadline) throw new WriterBusyError(this.options.waitMs ?? 10_000, waitingFor);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * Removes everything after the committed end if this writer or its dead predecessor wrote all of it: appends
   * nobody was told are recorded. Anyone else's is left alone, so no acknowledged event is ever removed, whatever
   * the clocks say. Returns null once removed, or the writers of what was left.
   */
  private async removeIfOurs(end: CommittedEnd): Promise<string[] | null> {
    const ours = [this.writer, ...(this.options.recover ?? [])];
    const left = await this.events
      .find({ position: { $gt: end.position } }, { projection: { _id: 0, position: 1, writer: 1 } })
      .toArray();
    const writers = [...new Set(left.map(({ writer }) => writer ?? UNNAMED_WRITER))];
    if (left.length === 0 || !writers.every((writer) => ours.includes(writer))) return writers;
    await this.events.deleteMany({ position: { $in: left.map(({ position }) => position) } });
    return null;
  }

  /**
   * Plans the group after the committed end `from` and sends its insert.
   *
   * A quick try (`thorough` false) looks up neither command ids nor the next version of a stream: the unique
   * indexes on `commandKey` and `(streamId, version)` refuse the insert of a repeated command or of a version
   * that exists, and the insert then stops there like a lost position race. An append it cannot place (a
   * version that does not match) is left undecided rather than refused, since it may be a repeated command.
   */
  private async plan(
    batch: PendingAppend[],
    from: CommittedEnd,
    known: Map<string, number>,
    thorough: boolean,
    remembered = false,
  ): Promise<Group> {
    const [versions, earlier] = await Promise.all([
      this.lookups.versions(batch, known, thorough),
      thorough ? this.lookups.earlierCommands(batch, from.position) : new Map<string, StoredEvent[]>(),
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
    const written = this.documents(planned, from);
    for (const { append, stored } of written) {
      if (append.metadata.commandId) inGroup.get(append.metadata.commandId)?.push(...stored);
    }
    const all = written.flatMap(({ stored }) => stored);
    const inserted = all.length > 0 ? this.insert(all) : Promise.resolve(0);
    // Awaited by settle or withdraw; until then a failure must not count as unhandled.
    inserted.catch(() => undefined);
    const endStillThere = remembered
      ? hashAt(this.events, from.position).then((hash) => hash === from.hash)
      : undefined;
    endStillThere?.catch(() => undefined);
    return { batch, from, versions, written, all, settled, undecided, inserted, endStillThere };
  }

  /** Settles what the group's insert decided; returns the appends still to be decided. */
  private async settle(group: Group): Promise<PendingAppend[]> {
    const { batch, from, written, all } = group;
    const inserted = await group.inserted;
    if (group.endStillThere && !(await group.endStillThere)) {
      // What went in continues nothing: out it goes (nobody was told of it, no reader takes it), and the
      // appends are decided again from the log's end as it is now.
      const first = all[0]?.position ?? 0;
      if (inserted > 0) await this.events.deleteMany({ position: { $gte: first, $lt: first + inserted } });
      this.known = null;
      return batch;
    }
    if (
      all.length === 0 &&
      this.known &&
      (await this.events.findOne({ position: from.position + 1 }, { projection: { _id: 1 } }))
    ) {
      // Nothing to insert, so no insert proved the remembered end current; and another process has moved it.
      this.known = null;
      return batch;
    }
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
    group.settled.forEach((settle) => settle());
    if (all.length > 0) this.announce(all);
    this.remember(group);
    return group.undecided;
  }

  /** Keeps the new end and the stream versions as of it, so the next append of this process needs no reads. */
  private remember({ from, all, versions }: Group): void {
    const last = all[all.length - 1];
    const end = last ? { position: last.position, hash: last.hash } : from;
    // Bounded: a long-running Manager touches many streams, and forgetting one costs only a query.
    this.known = { end, versions: versions.size > 10_000 ? new Map() : versions };
  }

  /**
   * The group's documents, each append marked with its own first and last position, the chain continued from
   * `from`, and the insert marked with its first position and (on its first event) the hash it continues.
   */
  private documents(planned: { append: PendingAppend; from: number }[], from: CommittedEnd) {
    const time = new Date();
    const write = from.position + 1;
    let position = from.position;
    let hash = from.hash;
    return planned.map(({ append, from: version }) => {
      const batch = { first: position + 1, last: position + append.events.length };
      const { source } = this.options;
      const { commandId = null } = append.metadata;
      const metadata: EventMetadata = {
        ...canonicalCopy({ ...append.metadata, commandId, source }).value,
        time,
      };
      const metadataJson = canonicalJson(metadata);
      const stored = append.events.map((event, index) => {
        const data = canonicalCopy(event.data);
        const stored: StoredEvent = {
          streamId: append.streamId,
          version: version + index + 1,
          position: ++position,
          batch,
          type: event.type,
          schemaVersion: this.upcasters.currentVersion(event.type),
          data: data.value,
          metadata,
          hash,
          write,
          writer: this.writer,
        };
        if (position === write) stored.after = hash;
        if (index === 0 && commandId) stored.commandKey = commandId;
        stored.hash = hash = appendedEventHash(stored, { data: data.json, metadata: metadataJson }, hash);
        return stored;
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
      // The server adds _id, so the driver does not add it to the events handed back to callers.
      await this.events.insertMany(documents, { ordered: true, forceServerObjectId: true });
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
}

function rejectAll(appends: PendingAppend[]) {
  return (error: unknown) => appends.forEach((append) => append.reject(error));
}
