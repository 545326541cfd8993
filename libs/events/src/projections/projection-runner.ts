import { Logger } from '@nestjs/common';
import { Collection, Db, Document } from 'mongodb';
import { RebuildInProgressError } from '../errors';
import { EventStore } from '../event-store';
import { StoredEvent } from '../stored-event';
import { Projection } from './projection';

/** Where a projection's live collection is and how far it has read: one document per projection. */
interface ProjectionState {
  _id: string;
  collection: string;
  position: number;
}

export interface RunnerOptions {
  /** Events read and applied per step; the next step waits until this one is applied (back-pressure). */
  batchSize?: number;
  /** How often to look for events committed by other processes. */
  pollMs?: number;
}

export interface RebuildResult {
  name: string;
  collection: string;
  position: number;
  events: number;
  durationMs: number;
}

class Worker {
  /** Events this process just committed, handed over directly so the follower need not read them back. */
  private offered: StoredEvent[] = [];
  private running = false;
  private stopped: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  /** Set by an offer that arrives while a step runs, so the loop does not then sleep past it. */
  private signalled = false;

  constructor(
    readonly projection: Projection,
    public target: Collection,
    public position: number,
    private readonly step: (worker: Worker) => Promise<number>,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.stopped = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.stopped;
  }

  offer(events: StoredEvent[]): void {
    const next = (this.offered[this.offered.length - 1]?.position ?? this.position) + 1;
    // Only a run that continues exactly where this follower is can be used; anything else is read from the log.
    this.offered = events[0]?.position === next ? [...this.offered, ...events] : [];
    this.signalled = true;
    this.wake?.();
  }

  /** Offered events that continue from the checkpoint, at most `limit`. */
  takeOffered(limit: number): StoredEvent[] {
    this.offered = this.offered.filter((event) => event.position > this.position);
    if (this.offered[0]?.position !== this.position + 1) {
      this.offered = [];
      return [];
    }
    return this.offered.slice(0, limit);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.signalled = false;
      const applied = await this.step(this).catch((error: Error) => {
        new Logger('ProjectionRunner').error(`${this.projection.name}: ${error.message}`);
        return 0;
      });
      if (applied === 0 && this.running && !this.signalled) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }
}

/**
 * Keeps every registered projection up to date from the event log, each with its own checkpoint, and rebuilds
 * one from position 0 into a fresh collection that is swapped in when it has caught up, so queries keep being
 * answered from the old collection meanwhile.
 */
export class ProjectionRunner {
  private readonly states: Collection<ProjectionState>;
  private readonly workers = new Map<string, Worker>();
  private readonly waiters = new Set<() => void>();
  private readonly rebuilding = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
    private readonly projections: Projection[],
    options: RunnerOptions = {},
  ) {
    this.states = db.collection<ProjectionState>('projections');
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 500;
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      const state = await this.stateOf(projection);
      const worker = new Worker(
        projection,
        this.db.collection(state.collection),
        state.position,
        (w) => this.liveStep(w),
        this.pollMs,
      );
      this.workers.set(projection.name, worker);
      worker.start();
    }
    this.unsubscribe = this.store.onAppend((events) =>
      this.workers.forEach((worker) => worker.offer(events)),
    );
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
  }

  /** The collection queries of `name` read from right now. */
  collection<D extends Document>(name: string): Collection<D> {
    const worker = this.workers.get(name);
    if (!worker) throw new Error(`projection ${name} is not running`);
    return worker.target as unknown as Collection<D>;
  }

  /** Resolves once every projection has applied events up to `position`, or after `timeoutMs`. */
  async waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    const done = () => [...this.workers.values()].every((worker) => worker.position >= position);
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
   * Replays the whole log into a fresh collection for each of `names` (all read models when empty), one read
   * model after the other, and swaps each in as soon as it has caught up. (One pass feeding all of them was
   * measured three times slower on mongo-java-server: see docs/performance.md.)
   */
  async rebuild(names: string[] = []): Promise<RebuildResult[]> {
    const chosen = names.length > 0 ? names : [...this.workers.keys()];
    const live = chosen.map((name) => {
      const worker = this.workers.get(name);
      if (!worker) throw new Error(`projection ${name} is not running`);
      if (this.rebuilding.has(name)) throw new RebuildInProgressError(name);
      return worker;
    });
    chosen.forEach((name) => this.rebuilding.add(name));
    try {
      const results: RebuildResult[] = [];
      for (const worker of live) results.push(await this.rebuildInto(worker));
      return results;
    } finally {
      chosen.forEach((name) => this.rebuilding.delete(name));
    }
  }

  private async rebuildInto(live: Worker): Promise<RebuildResult> {
    const started = Date.now();
    const { projection } = live;
    const fresh = this.db.collection(`${projection.name}_${Date.now().toString(36)}`);
    await projection.prepare(fresh);
    const { position, events } = await this.replay(projection, fresh, 0);
    // Stop the live follower between batches, let the fresh copy catch up on what arrived meanwhile, swap.
    await live.stop();
    const rest = await this.replay(projection, fresh, position);
    const old = live.target;
    await this.states.updateOne(
      { _id: projection.name },
      { $set: { collection: fresh.collectionName, position: rest.position } },
    );
    live.target = fresh;
    live.position = rest.position;
    live.start();
    await old.drop().catch(() => undefined);
    return {
      name: projection.name,
      collection: fresh.collectionName,
      position: rest.position,
      events: events + rest.events,
      durationMs: Date.now() - started,
    };
  }

  /**
   * Builds `name` as it was at `position` into a temporary collection, hands it to `use`, then drops it: the
   * state of the system before an incident, from the same projection code as the live read model.
   */
  async asOf<T>(name: string, position: number, use: (collection: Collection) => Promise<T>): Promise<T> {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    const temporary = this.db.collection(`${name}_asof_${Date.now().toString(36)}_${position}`);
    try {
      await projection.prepare(temporary);
      await this.replay(projection, temporary, 0, position);
      return await use(temporary);
    } finally {
      await temporary.drop().catch(() => undefined);
    }
  }

  /** Applies the log from `from` (to `until`) to a projection's target. */
  private async replay(
    projection: Projection,
    target: Collection,
    from: number,
    until?: number,
  ): Promise<{ position: number; events: number }> {
    let position = from;
    let count = 0;
    for await (const batch of this.store.readRange(from, until, this.batchSize)) {
      await projection.apply(target, batch);
      position = batch[batch.length - 1].position;
      count += batch.length;
    }
    return { position, events: count };
  }

  private async liveStep(worker: Worker): Promise<number> {
    const offered = worker.takeOffered(this.batchSize);
    const batch = offered.length > 0 ? offered : await this.store.readAll(worker.position, this.batchSize);
    if (batch.length === 0) return 0;
    await worker.projection.apply(worker.target, batch);
    const position = batch[batch.length - 1].position;
    await this.states.updateOne({ _id: worker.projection.name }, { $set: { position } });
    worker.position = position;
    this.waiters.forEach((check) => check());
    return batch.length;
  }

  private async stateOf(projection: Projection): Promise<ProjectionState> {
    const existing = await this.states.findOne({ _id: projection.name });
    if (existing) return existing;
    const state = { _id: projection.name, collection: projection.name, position: 0 };
    await projection.prepare(this.db.collection(state.collection));
    await this.states.updateOne({ _id: projection.name }, { $setOnInsert: state }, { upsert: true });
    return (await this.states.findOne({ _id: projection.name })) as ProjectionState;
  }
}
