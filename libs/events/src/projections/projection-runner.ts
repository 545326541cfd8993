import { Logger } from '@nestjs/common';
import { Collection, Db, Document } from 'mongodb';
import { RebuildInProgressError } from '../errors';
import { ensureIndexes } from '../indexes';
import { EventStore } from '../event-store';
import { Follower } from './follower';
import { Projection, View } from './projection';
import { readAhead } from './read-ahead';
import { ViewBuffer } from './view-buffer';

/** Where a projection's live collection is and how far it has read: one document per projection. */
interface ProjectionState {
  _id: string;
  collection: string;
  position: number;
  /** The projection's version that built the collection; absent means 1. */
  version?: number;
}

export interface RunnerOptions {
  /** Events read and applied per step; the next step waits until this one is written (back-pressure). */
  batchSize?: number;
  /** How often to look for events committed by other processes. */
  pollMs?: number;
  /** During a replay, changed documents a read model collects before they are written in bulk. */
  flushEvery?: number;
  /** Clean documents each read model keeps in memory (see ViewBuffer). */
  cacheLimit?: number;
}

/**
 * How long a read model's old collection stays after a rebuild swapped a fresh one in: a query that took the old
 * one just before the swap still reads it whole, instead of finding it dropped under it (an empty answer).
 */
const RETIRED_FOR_MS = 60_000;

export interface RebuildResult {
  name: string;
  collection: string;
  position: number;
  events: number;
  durationMs: number;
}

/** A rebuild under way: the log position its replay has reached, of the head when it started. */
export interface RebuildProgress {
  name: string;
  position: number;
  head: number;
  startedAt: string;
}

/**
 * Keeps every registered projection up to date from the event log, each with its own checkpoint, and rebuilds
 * read models from position 0 into fresh collections that are swapped in when they have caught up, so queries
 * keep being answered from the old collections meanwhile.
 */
export class ProjectionRunner {
  private readonly states: Collection<ProjectionState>;
  private readonly followers = new Map<string, Follower>();
  private readonly waiters = new Set<() => void>();
  private readonly rebuilding = new Map<string, RebuildProgress>();
  private readonly retired = new Map<Collection<View>, NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;
  private readonly options: Required<RunnerOptions>;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
    private readonly projections: Projection[],
    options: RunnerOptions = {},
  ) {
    this.states = db.collection<ProjectionState>('projections');
    this.options = { batchSize: 500, pollMs: 500, flushEvery: 10_000, cacheLimit: 20_000, ...options };
  }

  /** Starts every follower; read models built by another version of their projection are rebuilt first. */
  async start(): Promise<void> {
    const outdated: string[] = [];
    for (const projection of this.projections) {
      const state = await this.stateOf(projection);
      if ((state.version ?? 1) !== projection.version) outdated.push(projection.name);
      const follower = new Follower(
        this.buffer(projection, this.db.collection(state.collection), false),
        state.position,
        (f) => this.liveStep(f),
        this.options.pollMs,
      );
      this.followers.set(projection.name, follower);
      follower.start();
    }
    this.unsubscribe = this.store.onAppend((events) =>
      this.followers.forEach((follower) => follower.offer(events)),
    );
    if (outdated.length > 0) {
      new Logger('ProjectionRunner').warn(
        `read models built by another version, rebuilding: ${outdated.join(', ')}`,
      );
      await this.rebuild(outdated);
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.followers.values()].map((follower) => follower.stop()));
    await Promise.all([...this.retired.keys()].map((collection) => this.drop(collection)));
  }

  /** The collection queries of `name` read from right now. */
  collection<D extends Document>(name: string): Collection<D> {
    return this.follower(name).buffer.target as unknown as Collection<D>;
  }

  /** Resolves once every projection has applied events up to `position`, or after `timeoutMs`. */
  async waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    const done = () => [...this.followers.values()].every((follower) => follower.position >= position);
    if (done()) return true;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * Replays the whole log once into a fresh collection for each of `names` (all read models when empty), then
   * stops their followers between two steps, lets the fresh copies catch up on what arrived meanwhile, and
   * swaps them in. A failure leaves the live read models as they were.
   */
  async rebuild(names: string[] = []): Promise<RebuildResult[]> {
    const chosen = names.length > 0 ? names : [...this.followers.keys()];
    const live = chosen.map((name) => {
      const follower = this.follower(name);
      if (this.rebuilding.has(name)) throw new RebuildInProgressError(name);
      return follower;
    });
    const started = Date.now();
    const progress = (position: number, head: number) =>
      chosen.forEach((name) =>
        this.rebuilding.set(name, { name, position, head, startedAt: new Date(started).toISOString() }),
      );
    progress(0, 0);
    const fresh: ViewBuffer<View>[] = [];
    let swapped = 0;
    try {
      for (const { buffer } of live) {
        fresh.push(this.freshBuffer(buffer.projection, Date.now().toString(36)));
      }
      const head = await this.store.headPosition();
      progress(0, head);
      // Events appended meanwhile are replayed too: the bar stays full until the swap.
      const replayed = await this.replay(fresh, 0, undefined, (position) =>
        progress(Math.min(position, head), head),
      );
      await this.indexed(fresh);
      await Promise.all(live.map((follower) => follower.stop()));
      try {
        const caughtUp = await this.replay(fresh, replayed.position);
        const results: RebuildResult[] = [];
        for (; swapped < live.length; swapped++) {
          const { target } = fresh[swapped];
          await this.swap(live[swapped], target, caughtUp.position);
          results.push({
            name: live[swapped].name,
            collection: target.collectionName,
            position: caughtUp.position,
            events: replayed.events + caughtUp.events,
            durationMs: Date.now() - started,
          });
        }
        return results;
      } finally {
        live.slice(swapped).forEach((follower) => follower.start());
      }
    } catch (error) {
      await Promise.all(fresh.slice(swapped).map(({ target }) => target.drop().catch(() => undefined)));
      throw error;
    } finally {
      chosen.forEach((name) => this.rebuilding.delete(name));
    }
  }

  /** The rebuilds under way, each read model's with how far its replay has come. */
  rebuilds(): RebuildProgress[] {
    return [...this.rebuilding.values()].map((one) => ({ ...one }));
  }

  /**
   * Builds `name` as it was at `position` into a temporary collection, hands it to `use`, then drops it: the
   * state of the system before an incident, from the same projection code as the live read model.
   */
  async asOf<T>(name: string, position: number, use: (collection: Collection) => Promise<T>): Promise<T> {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    const temporary = this.freshBuffer(projection, `asof_${Date.now().toString(36)}_${position}`);
    try {
      await this.replay([temporary], 0, position);
      await this.indexed([temporary]);
      return await use(temporary.target as unknown as Collection);
    } finally {
      await temporary.target.drop().catch(() => undefined);
    }
  }

  /** Points a stopped follower at its rebuilt collection, restarts it, and drops the old one. */
  private async swap(follower: Follower, target: Collection<View>, position: number): Promise<void> {
    const old = follower.buffer.target;
    const { version } = follower.buffer.projection;
    await this.states.updateOne(
      { _id: follower.name },
      { $set: { collection: target.collectionName, position, version } },
    );
    follower.buffer = this.buffer(follower.buffer.projection, target, false);
    follower.position = position;
    follower.start();
    this.retired.set(old, setTimeout(() => void this.drop(old), RETIRED_FOR_MS).unref());
  }

  /** Drops a collection a swap retired, at the end of its grace or when the runner stops. */
  private async drop(collection: Collection<View>): Promise<void> {
    clearTimeout(this.retired.get(collection));
    this.retired.delete(collection);
    await collection.drop().catch(() => undefined);
  }

  /**
   * Folds the log from `from` (to `until`) into `buffers`, reading the next batch and writing the last
   * collected changes while the current batch is folded; `folded` hears the position after each batch.
   */
  private async replay(
    buffers: ViewBuffer<View>[],
    from: number,
    until?: number,
    folded?: (position: number) => void,
  ): Promise<{ position: number; events: number }> {
    let position = from;
    let events = 0;
    let writing: Promise<unknown> = Promise.resolve();
    try {
      for await (const batch of readAhead(this.store.readRange(from, until, this.options.batchSize))) {
        for (const buffer of buffers) await buffer.apply(batch);
        position = batch[batch.length - 1].position;
        events += batch.length;
        folded?.(position);
        if (buffers.some((buffer) => buffer.changes >= this.options.flushEvery)) {
          await writing;
          writing = Promise.all(buffers.map((buffer) => buffer.flush()));
        }
      }
    } catch (error) {
      await writing.catch(() => undefined);
      throw error;
    }
    await writing;
    await Promise.all(buffers.map((buffer) => buffer.flush()));
    return { position, events };
  }

  private async liveStep(follower: Follower): Promise<number> {
    const offered = follower.takeOffered(this.options.batchSize);
    const batch =
      offered.length > 0 ? offered : await this.store.readAll(follower.position, this.options.batchSize);
    if (batch.length === 0) return 0;
    try {
      await follower.buffer.apply(batch);
      await follower.buffer.flush();
    } catch (error) {
      follower.buffer.reset();
      throw error;
    }
    const position = batch[batch.length - 1].position;
    await this.states.updateOne({ _id: follower.name }, { $set: { position } });
    follower.position = position;
    this.waiters.forEach((check) => check());
    return batch.length;
  }

  private follower(name: string): Follower {
    const follower = this.followers.get(name);
    if (!follower) throw new Error(`projection ${name} is not running`);
    return follower;
  }

  private buffer(projection: Projection, target: Collection<View>, createdEmpty: boolean): ViewBuffer<View> {
    return new ViewBuffer(projection, target, createdEmpty, this.options.cacheLimit);
  }

  /**
   * A new, empty collection for a replay. Its secondary indexes come after the bulk of the replay (`indexed`):
   * the fold reads views by `_id` only, and one index build over the finished collection costs less than
   * keeping every index up to date through a hundred thousand inserts.
   */
  private freshBuffer(projection: Projection, suffix: string): ViewBuffer<View> {
    return this.buffer(projection, this.db.collection<View>(`${projection.name}_${suffix}`), true);
  }

  private async indexed(buffers: ViewBuffer<View>[]): Promise<void> {
    await Promise.all(buffers.map(({ target, projection }) => ensureIndexes(target, projection.indexes)));
  }

  private async stateOf(projection: Projection): Promise<ProjectionState> {
    const existing = await this.states.findOne({ _id: projection.name });
    if (existing) return existing;
    const state = {
      _id: projection.name,
      collection: projection.name,
      position: 0,
      version: projection.version,
    };
    await ensureIndexes(this.db.collection(state.collection), projection.indexes);
    await this.states.updateOne({ _id: projection.name }, { $setOnInsert: state }, { upsert: true });
    return (await this.states.findOne({ _id: projection.name })) as ProjectionState;
  }
}
