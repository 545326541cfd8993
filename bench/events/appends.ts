import { randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { Config } from './config';
import { concurrently, now } from '../measure';
import { Append, bigAppend, nextEvent, rawDocuments } from './workload';

/** A collection with the EventStore's three indexes, for the raw-driver baselines. */
export async function rawCollection(db: Db, name: string): Promise<Collection<StoredEvent>> {
  const collection = db.collection<StoredEvent>(name);
  await collection.createIndex({ position: 1 }, { name: 'position', unique: true });
  await collection.createIndex({ streamId: 1, version: 1 }, { name: 'stream_version', unique: true });
  await collection.createIndex({ 'metadata.commandId': 1 }, { name: 'command_id', sparse: true });
  return collection;
}

export interface Run {
  events: number;
  ms: number;
  /** Per-call latencies in ms (single appends only). */
  latencies: number[];
}

/**
 * `appends` single-event appends from `writers` concurrent writers, each owning streams/writers streams and
 * going round them, tracking their versions. `write` does one append and returns when it is durable.
 */
async function singles(
  config: Config,
  appends: number,
  write: (append: Append, version: number) => Promise<void>,
): Promise<Run> {
  const perWriter = Math.ceil(config.streams / config.writers);
  const latencies: number[] = [];
  let n = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: config.writers }, async (_, writer) => {
      const streams = Array.from({ length: perWriter }, () => ({
        id: `deployment-${randomUUID()}`,
        version: 0,
      }));
      const mine = Math.floor(appends / config.writers) + (writer < appends % config.writers ? 1 : 0);
      for (let index = 0; index < mine; index++) {
        const stream = streams[index % streams.length];
        const append = nextEvent(n++, stream.id, stream.version);
        const began = now();
        await write(append, stream.version);
        latencies.push(now() - began);
        stream.version++;
      }
    }),
  );
  return { events: appends, ms: now() - start, latencies };
}

export function storeSingles(config: Config, store: EventStore, appends = config.appends): Promise<Run> {
  return singles(config, appends, async (append, version) => {
    await store.append(append.streamId, version, append.events, append.metadata);
  });
}

export function rawSingles(
  config: Config,
  raw: Collection<StoredEvent>,
  appends = config.appends,
): Promise<Run> {
  let position = 0;
  return singles(config, appends, async (append, version) => {
    const [document] = rawDocuments(append, version, ++position);
    await raw.insertOne(document);
  });
}

/** `appends` appends of `config.batchSize` events each to new streams, from `writers` concurrent writers. */
async function batches(
  config: Config,
  appends: number,
  writers: number,
  write: (append: Append) => Promise<void>,
): Promise<Run> {
  const prepared = Array.from({ length: appends }, (_, index) => bigAppend(index, config.batchSize));
  const ms = await concurrently(writers, appends, (_, index) => write(prepared[index]));
  return { events: appends * config.batchSize, ms, latencies: [] };
}

export function storeBatches(
  config: Config,
  store: EventStore,
  writers: number,
  appends = config.batchAppends,
): Promise<Run> {
  return batches(config, appends, writers, async (append) => {
    await store.append(append.streamId, 0, append.events, append.metadata);
  });
}

export function rawBatches(
  config: Config,
  raw: Collection<StoredEvent>,
  writers: number,
  appends = config.batchAppends,
): Promise<Run> {
  let position = 0;
  return batches(config, appends, writers, async (append) => {
    const first = position + 1;
    position += append.events.length;
    await raw.insertMany(rawDocuments(append, 0, first), { ordered: true });
  });
}
