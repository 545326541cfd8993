/** Bench sizes, each overridable from the environment for a quick run (e.g. `BENCH_EVENTS=10000`). */
function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

export const config = {
  url: process.env.BENCH_MONGO_URL ?? 'mongodb://127.0.0.1:27117',
  /** Concurrent writers in the append runs. */
  writers: int('BENCH_WRITERS', 8),
  /** Streams the single-event appends are spread over (each writer owns streams/writers of them). */
  streams: int('BENCH_STREAMS', 1000),
  /** Single-event appends in total (run 1). */
  appends: int('BENCH_APPENDS', 8000),
  /** Appends of BENCH_BATCH_SIZE events, per mode (sequential, concurrent) (run 2). */
  batchAppends: int('BENCH_BATCH_APPENDS', 100),
  batchSize: int('BENCH_BATCH_SIZE', 100),
  /** Events in the log that is replayed (run 4). */
  events: int('BENCH_EVENTS', 100_000),
  /** Of those, projects' configuration changes (issue 18's goal: the rebuild keeps its own with 10,000). */
  configurationEvents: int('BENCH_CONFIGURATION_EVENTS', 10_000),
  /** Deployments requested per fill round; each round also records the previous round's outcomes. */
  fillChunk: int('BENCH_FILL_CHUNK', 500),
  /** Events per append while filling: 1 is one append per event, per deployment stream (slow: see replay.ts). */
  fillPerAppend: int('BENCH_FILL_PER_APPEND', 100),
  /** The ProjectionRunner's batchSize during the replay. */
  replayBatch: int('BENCH_REPLAY_BATCH', 500),
  /** The ProjectionRunner's flushEvery: changed documents per read model collected before a bulk write. */
  flushEvery: int('BENCH_FLUSH_EVERY', 10_000),
  /** Rounds of each append run (baseline and store alternating, each round on a fresh database): medians count. */
  rounds: int('BENCH_ROUNDS', 5),
  /**
   * Rebuilds of all three read models, each followed by a run of its physical limit: the server's heap and
   * collector move both by half from one run to the next, so the pair of median ratio counts.
   */
  rebuildRounds: int('BENCH_REBUILD_ROUNDS', 3),
  /** Warm-up sizes are the measured sizes divided by this. */
  warmupDivisor: int('BENCH_WARMUP_DIVISOR', 10),
};

export type Config = typeof config;
