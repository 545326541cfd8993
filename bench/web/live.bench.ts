/**
 * Live events benchmark: events appended at a steady rate (`BENCH_LIVE_RATE` per second, 500) for
 * `BENCH_LIVE_SECONDS` (20) reach a dashboard page signed in to a real Manager in Debian's Chromium. Reports how
 * many arrive, whether in order and each once, and the delay from the append's acknowledgement to the page,
 * against the same stream read in this process (no browser) as the baseline. `npm run bench:web`; figures go to
 * docs/performance.md. Needs the test database (TEST_MONGO_URL) and the chromium package (`npm test` sets both up).
 */
import { EventStore } from '@testausdeploy/events';
import { launchChromium } from '../../test/support/browser';
import { EventStreamClient } from '../../test/support/event-stream-client';
import { auth, ManagerApp, TEST_TOKEN } from '../../test/support/manager-app';
import { percentile, Row, runBench, table } from '../measure';

const RATE = Number(process.env.BENCH_LIVE_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 20);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Appends `RATE` single-event appends a second for `SECONDS`, paced by the clock; each ack's time by position. */
async function appendSteadily(store: EventStore): Promise<Map<number, number>> {
  const acked = new Map<number, number>();
  const total = RATE * SECONDS;
  const start = Date.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = start + (index * 1000) / RATE;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    pending.push(
      store
        .append(`bench-live-${index}`, 0, [{ type: 'BenchTick', data: { index } }], {
          actor: 'bench',
          correlationId: `bench-${index}`,
          causationId: null,
        })
        .then(({ events }) => void acked.set(events[0].position, Date.now())),
    );
  }
  await Promise.all(pending);
  log(`appended ${total} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return acked;
}

/** Arrivals of the appended events: in order and each once, and their delays after the ack. */
function judge(acked: Map<number, number>, arrived: { position: number; at: number }[]) {
  const ours = arrived.filter((one) => acked.has(one.position));
  const inOrder = ours.every((one, index) => index === 0 || one.position > ours[index - 1].position);
  const delays = ours.map((one) => one.at - (acked.get(one.position) as number));
  return { count: new Set(ours.map((one) => one.position)).size, inOrder, delays };
}

async function main() {
  const manager = await ManagerApp.start('bench-live');
  await manager.app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${(manager.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${api}/ui/`);
    await page.getByLabel('API token').fill(TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // What the page's own EventSource gets, recorded in the page (evaluated over the DevTools protocol).
    await page.evaluate(`window.arrived = []; new EventSource('/events').onmessage = (message) =>
      window.arrived.push({ position: JSON.parse(message.data).position, at: Date.now() })`);
    const baseline = await EventStreamClient.open(`${api}/events`, auth);
    await baseline.await((frame) => frame.event === 'ready');
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const acked = await appendSteadily(manager.get(EventStore));
    const last = Math.max(...acked.keys());
    const settle = Date.now() + 30_000;
    const seen = async () =>
      (await page.evaluate<{ position: number; at: number }[]>('window.arrived')) ?? [];
    while (Date.now() < settle && !(await seen()).some((one) => one.position === last)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const inPage = judge(acked, await seen());
    const inNode = judge(
      acked,
      baseline.frames.flatMap((frame, index) =>
        frame.event === 'message' ? [{ position: Number(frame.id), at: baseline.arrivals[index] }] : [],
      ),
    );
    baseline.close();
    const total = acked.size;
    log(`page: ${inPage.count}/${total} arrived, in order: ${inPage.inOrder}`);
    log(`this process: ${inNode.count}/${total} arrived, in order: ${inNode.inOrder}`);
    const rows: Row[] = [
      {
        figure: 'events arrived',
        store: inPage.count,
        baseline: total,
        unit: 'events',
        better: 'higher',
        goal: 1,
      },
      ...[50, 99].map((p): Row => ({
        figure: `delay p${p}, ack to page`,
        store: percentile(inPage.delays, p),
        baseline: percentile(inNode.delays, p),
        unit: 'ms',
        better: 'lower',
      })),
    ];
    process.stdout.write(`${table(rows, 'chromium page')}\n`);
    process.stdout.write(`in order and each once in the page: ${inPage.inOrder && inPage.count === total}\n`);
  } finally {
    await browser.close();
    await manager.stop();
  }
}

runBench(main);
