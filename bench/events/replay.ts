import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Db } from 'mongodb';
import { EventStore, Projection, ProjectionRunner } from '@testausdeploy/events';
import { DeploymentsProjection } from '../../apps/manager/src/deployments/projections/deployments.projection';
import { AuditProjection } from '../../apps/manager/src/audit/audit.projection';
import { StatsProjection } from '../../apps/manager/src/stats/stats.projection';
import { ReadModels } from '../../apps/manager/src/events/read-models';
import { Config } from './config';
import { now, timed } from '../measure';
import { Append, configurationChanged, outcome, requested } from './workload';

/**
 * Fills the log with `total` events as the Manager records them: each round requests `chunk` deployments and
 * records the previous round's outcomes, all appends of a round issued at once so EventStore groups them.
 * With `perAppend` 1 each event is its own append to its deployment's stream (as in production). With more,
 * a round's events are packed `perAppend` to an append on streams of their own: the projections key on
 * data.deploymentId, so they see the same work, and the fill needs one stream look-up per append instead of
 * per event (each is a full scan on mongo-java-server, which makes the per-event fill quadratic). Of the
 * `total`, `configurations` are projects' configuration changes, spread evenly over the rounds.
 */
export async function fill(
  store: EventStore,
  total: number,
  chunk: number,
  perAppend: number,
  configurations = 0,
): Promise<number> {
  let written = 0;
  let configured = 0;
  let n = 0;
  let previous: { n: number; deploymentId: string }[] = [];
  const start = now();
  while (written < total) {
    const round: Append[] = [];
    for (const { n: m, deploymentId } of previous) {
      if (written + round.length >= total) break;
      round.push(outcome(m, deploymentId));
    }
    const current: typeof previous = [];
    for (let index = 0; index < chunk && written + round.length < total; index++, n++) {
      const deploymentId = randomUUID();
      current.push({ n, deploymentId });
      round.push(requested(n, deploymentId));
    }
    const due = Math.min(configurations, Math.ceil(((written + round.length) * configurations) / total));
    for (; configured < due && written + round.length < total; configured++) {
      round.push(configurationChanged(configured));
    }
    const appends: { append: Append; version: number }[] =
      perAppend === 1
        ? round.map((append) => ({
            append,
            version:
              append.events[0].type === 'DeploymentSucceeded' || append.events[0].type === 'DeploymentFailed'
                ? 1
                : 0,
          }))
        : Array.from({ length: Math.ceil(round.length / perAppend) }, (_, index) => {
            const part = round.slice(index * perAppend, (index + 1) * perAppend);
            const append = {
              streamId: `fill-${randomUUID()}`,
              events: part.flatMap((one) => one.events),
              metadata: part[0].metadata,
            };
            return { append, version: 0 };
          });
    await Promise.all(
      appends.map(({ append, version }) =>
        store.append(append.streamId, version, append.events, append.metadata),
      ),
    );
    written += round.length;
    previous = current;
  }
  return now() - start;
}

export function projections(): Projection[] {
  const readModels = { register() {} } as unknown as ReadModels;
  return [
    new DeploymentsProjection(readModels),
    new AuditProjection(readModels),
    new StatsProjection(readModels),
  ] as unknown as Projection[];
}

/** The raw baseline: one cursor over the whole log in position order. */
export async function rawScan(db: Db): Promise<{ ms: number; events: number }> {
  const { ms, result } = await timed(async () => {
    let count = 0;
    for await (const event of db.collection('events').find().sort({ position: 1 })) if (event) count++;
    return count;
  });
  return { ms, events: result };
}

/**
 * The physical limit of a rebuild: what it must do at the least, without projection logic. One sorted scan of
 * the log and, at the same time (a rebuild reads ahead while it writes), unordered bulk inserts of as many
 * documents as the rebuilt read models hold, copies of them, in the runner's batches, into a fresh collection.
 */
export async function physicalLimit(
  db: Db,
  readModels: string[],
  batch: number,
): Promise<{ ms: number; events: number; documents: number }> {
  const output = (await Promise.all(readModels.map((name) => db.collection(name).find().toArray()))).flat();
  const copies = output.map(({ _id, ...rest }) => rest);
  const scratch = db.collection('physical_limit');
  const { ms, result } = await timed(async () => {
    const [scan] = await Promise.all([
      rawScan(db),
      (async () => {
        for (let from = 0; from < copies.length; from += batch) {
          await scratch.insertMany(
            copies.slice(from, from + batch).map((copy) => ({ ...copy })),
            { ordered: false },
          );
        }
      })(),
    ]);
    return scan.events;
  });
  await scratch.drop();
  return { ms, events: result, documents: copies.length };
}

export type Limit = Awaited<ReturnType<typeof physicalLimit>>;

export interface Rebuilt {
  name: string;
  ms: number;
  events: number;
  /** Time spent inside readRange's steps (read ahead, so partly overlapping the folding and writing). */
  readMs: number;
  reads: number;
}

/**
 * Starts a runner whose live workers are already at the head (their checkpoints are written first, so they
 * do not replay the log alongside the rebuilds), then rebuilds each projection in turn, then all three on one
 * call `config.rebuildRounds` times, each followed by a run of `limit` (the physical limit of what it just
 * rebuilt), timing the store's reads from outside.
 */
export async function rebuildAll(
  db: Db,
  store: EventStore,
  config: Config,
  limit: () => Promise<Limit>,
): Promise<{ alone: Rebuilt[]; rounds: { together: Rebuilt; limit: Limit }[] }> {
  const head = await store.headPosition();
  const all = projections();
  for (const projection of all) {
    await db
      .collection<{ _id: string }>('projections')
      .updateOne(
        { _id: projection.name },
        { $set: { collection: projection.name, position: head } },
        { upsert: true },
      );
  }
  const clock = { readMs: 0, reads: 0 };
  const readRange = store.readRange.bind(store);
  store.readRange = (...args: Parameters<EventStore['readRange']>) => {
    const inner = readRange(...args);
    return (async function* () {
      for (;;) {
        const start = now();
        const step = await inner.next();
        clock.readMs += now() - start;
        if (step.done) return;
        clock.reads++;
        yield step.value;
      }
    })();
  };
  const runner = new ProjectionRunner(db, store, all, {
    batchSize: config.replayBatch,
    flushEvery: config.flushEvery,
    pollMs: 60_000,
  });
  await runner.start();
  const alone: Rebuilt[] = [];
  try {
    for (const projection of all) {
      Object.assign(clock, { readMs: 0, reads: 0 });
      const { ms, result } = await timed(() => runner.rebuild([projection.name]));
      alone.push({ name: projection.name, ms, events: result[0].events, ...clock });
    }
    const rounds: { together: Rebuilt; limit: Limit }[] = [];
    for (let round = 0; round < config.rebuildRounds; round++) {
      Object.assign(clock, { readMs: 0, reads: 0 });
      const { ms, result } = await timed(() => runner.rebuild());
      const together = {
        name: `all three (rebuild()), round ${round + 1}`,
        ms,
        events: result[0].events,
        ...clock,
      };
      rounds.push({ together, limit: await limit() });
    }
    return { alone, rounds };
  } finally {
    await runner.stop();
  }
}
