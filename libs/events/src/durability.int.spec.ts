import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoNetworkError } from 'mongodb';
import { H2Database } from '../../../test/support/h2-database';
import { eventually } from '../../../test/support/ports';
import { EventStore } from './event-store';

const cause = { actor: 'tester', correlationId: 'c', causationId: null };
const ROUNDS = 20;
const WRITERS = 4;

/*
 * The quick start's database (mongo-java-server, H2 backend, one file), killed with SIGKILL at a random moment
 * while four writers append, twenty times, and started again on the same file. What the store acknowledged must
 * all be there with the hash it was acknowledged with, the chain whole, and the next append must go through on
 * its first try.
 */
describe('event log on the quick start database: acknowledged is durable, a crash never breaks the chain', () => {
  let dir: string;
  let database: H2Database;
  let client: MongoClient;
  let store: EventStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'durability-'));
    database = await H2Database.start(join(dir, 'events.mv'));
    client = await MongoClient.connect(database.url, {
      serverSelectionTimeoutMS: 1000,
      heartbeatFrequencyMS: 500,
    });
    store = new EventStore(client.db('durability'), { source: 'durability', waitMs: 5000 });
    await store.init();
  });

  after(async () => {
    await client?.close();
    await database?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    `keeps every acknowledged event through ${ROUNDS} kills under load, and appends at once after each`,
    { timeout: 300_000 },
    async () => {
      const acknowledged = new Map<number, string>();
      const keep = (events: { position: number; hash: string }[]) =>
        events.forEach(({ position, hash }) => acknowledged.set(position, hash));
      let refused = 0;
      let firstTriesCut = 0;
      for (let round = 0; round < ROUNDS; round++) {
        let writing = true;
        const writers = Array.from({ length: WRITERS }, async (_, writer) => {
          while (writing) {
            const events = [
              { type: 'Tick', data: { round, writer } },
              { type: 'Tock', data: { round, writer } },
            ];
            await store.append(`r${round}-${randomUUID()}`, 0, events, cause).then(
              ({ events: stored }) => keep(stored),
              () => refused++,
            );
          }
        });
        await sleep(100 + Math.random() * 400);
        await database.kill();
        writing = false;
        await Promise.all(writers);
        await database.restart();
        // The driver reconnects on its own (its monitor, then a ping); it finds out that its pooled
        // connections died by using one, so the first write after a restart may fail on one (and clears the
        // pool). The log itself must not hold anything up: the next append goes through.
        await eventually(() => client.db('admin').command({ ping: 1 }), 10_000);
        const after = () => store.append(`after-${round}`, 0, [{ type: 'After', data: { round } }], cause);
        const appended = await after().catch((error: Error) => {
          if (!(error instanceof MongoNetworkError)) throw error;
          firstTriesCut++;
          return after();
        });
        keep(appended.events);
      }

      const found = new Map<number, string>();
      for await (const chunk of store.readRange(0))
        chunk.forEach(({ position, hash }) => found.set(position, hash));
      const lost = [...acknowledged].filter(([position, hash]) => found.get(position) !== hash);
      assert.deepEqual(
        lost,
        [],
        `${lost.length} of ${acknowledged.size} acknowledged events are not in the log`,
      );
      const head = await store.headPosition();
      assert.equal(found.size, head, 'the log has a gap');
      const verified = await store.verify();
      assert.equal(verified.ok, true, JSON.stringify(verified.firstBreak));
      assert.ok(
        acknowledged.size > ROUNDS * 10 && refused > 0,
        `${acknowledged.size} acknowledged, ${refused} refused`,
      );
      console.log(
        `${acknowledged.size} events acknowledged, ${refused} appends refused while down, ` +
          `${firstTriesCut} first tries after a restart cut`,
      );
    },
  );
});
