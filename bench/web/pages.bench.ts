/**
 * Dashboard pages benchmark, in Debian's Chromium against a Manager in this process on the test database:
 *
 * - the JavaScript the first page ships (the sign-in page, then the overview once signed in), gzip-compressed,
 *   against the budget of 150 KB;
 * - with 1,000 deployments and 10,000 events in the log, the time from navigation to the deployments list drawn
 *   and to the first audit page drawn, against the page's own API call made from the same page alone (goal:
 *   within 2x, and under 1 s). Medians of `BENCH_PAGE_RUNS` (10) navigations each, the browser's cache warm as
 *   it is for someone who uses the dashboard daily; the first, cold navigation is reported beside them.
 *
 * `npm run bench:web`; figures go to docs/performance.md.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { EventStore } from '@testausdeploy/events';
import { ReadModels } from '../../apps/manager/src/events/read-models';
import { launchChromium } from '../../test/support/browser';
import { ManagerApp, TEST_TOKEN } from '../../test/support/manager-app';
import { concurrently, percentile, Row, runBench, table } from '../measure';

const DEPLOYMENTS = 1000;
const EVENTS = 10_000;
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 10);
const JS_BUDGET_KB = 150;
const log = (line: string) => process.stderr.write(`${line}\n`);
const meta = (id: string) => ({ actor: 'admin', correlationId: id, causationId: null });

/** 1,000 deployments (requested and succeeded, an hour apart) and other events up to 10,000 in the log. */
async function fill(store: EventStore): Promise<void> {
  await concurrently(16, DEPLOYMENTS, async (_, index) => {
    const deploymentId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const commit = index.toString(16).padStart(40, '0');
    await store.append(
      `deployment-${deploymentId}`,
      0,
      [
        {
          type: 'DeploymentRequested',
          data: {
            deploymentId,
            org: 'bench-org',
            repo: `app-${index % 50}`,
            branch: 'main',
            composePath: 'docker-compose.yml',
            requestedBy: 'admin',
          },
        },
        {
          type: 'DeploymentSucceeded',
          data: {
            deploymentId,
            commit,
            composeDigest: `sha256:${'0'.repeat(64)}`,
            containers: [],
            diskBytes: 0,
          },
        },
      ],
      meta(deploymentId),
    );
  });
  const rest = EVENTS - 2 * DEPLOYMENTS;
  const perStream = 100;
  await concurrently(8, rest / perStream, async (_, index) => {
    const events = Array.from({ length: perStream }, (_, n) => ({
      type: 'BenchTick',
      data: { index: index * perStream + n },
    }));
    await store.append(`bench-pages-${index}`, 0, events, meta(`bench-pages-${index}`));
  });
}

/** The JavaScript files a navigation loads until `drawn`, and their gzip size in KB. */
async function scriptsLoaded(page: Page, go: () => Promise<void>): Promise<{ files: number; kb: number }> {
  const bodies: Promise<Buffer>[] = [];
  const take = (response: { request: () => { resourceType: () => string }; body: () => Promise<Buffer> }) =>
    response.request().resourceType() === 'script' && bodies.push(response.body());
  page.on('response', take);
  await go();
  page.off('response', take);
  const all = await Promise.all(bodies);
  return { files: all.length, kb: all.reduce((sum, body) => sum + gzipSync(body).length, 0) / 1024 };
}

/**
 * Milliseconds from navigation start to the first frame with `rows` table rows drawn (the page's own clock), and the
 * API request the page made on the way whose path starts with `api`.
 */
async function navigate(page: Page, url: string, rows: number, api: string) {
  let asked: string | undefined;
  const see = (request: { url: () => string }) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith(api) && !asked) asked = request.url();
  };
  page.on('request', see);
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  // Run in the page (this project's types have no DOM: the page's document is named through globalThis).
  const drawn = (least: number) => {
    const { document } = globalThis as unknown as { document: { querySelectorAll(css: string): unknown[] } };
    return document.querySelectorAll('main table tbody tr').length >= least ? performance.now() : false;
  };
  const ms = await (await page.waitForFunction(drawn, rows, { polling: 'raf' })).jsonValue();
  page.off('request', see);
  if (!asked) throw new Error(`the page at ${url} asked nothing of ${api}`);
  // Where the time went, from the page's resource timing: the app's first request (it has booted and asks who
  // is signed in), and the page's own API request.
  const timing = (target: string) => {
    type Entry = { name: string; startTime: number; responseEnd: number };
    const entries = performance.getEntriesByType('resource') as unknown as Entry[];
    const first = entries.find((entry) => new URL(entry.name).pathname === '/session');
    const own = entries.find((entry) => entry.name === target);
    return {
      booted: first?.startTime ?? NaN,
      sent: own?.startTime ?? NaN,
      answered: own?.responseEnd ?? NaN,
    };
  };
  return { ms: ms as number, asked, ...(await page.evaluate(timing, asked)) };
}

/** The same request made by the signed-in page's own fetch, read to the end: the API call alone. */
async function apiAlone(page: Page, url: string): Promise<number> {
  return page.evaluate<number, string>(async (target) => {
    const start = performance.now();
    const res = await fetch(target, { credentials: 'same-origin' });
    await res.json();
    return performance.now() - start;
  }, url);
}

const median = (samples: number[]) => percentile(samples, 50);

async function timePage(page: Page, url: string, rows: number, api: string) {
  const cold = await navigate(page, url, rows, api);
  const runs: Awaited<ReturnType<typeof navigate>>[] = [];
  const alone: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    runs.push(await navigate(page, url, rows, api));
    alone.push(await apiAlone(page, cold.asked));
  }
  const of = (pick: (run: (typeof runs)[number]) => number) => median(runs.map(pick)).toFixed(0);
  log(
    `${url}: median booted (first request) at ${of((run) => run.booted)} ms, asked ${cold.asked} at ` +
      `${of((run) => run.sent)} ms, answered at ${of((run) => run.answered)} ms, drawn at ${of((run) => run.ms)} ms`,
  );
  return { cold: cold.ms, page: median(runs.map((run) => run.ms)), api: median(alone), asked: cold.asked };
}

async function main() {
  const manager = await ManagerApp.start('bench-pages');
  await manager.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(manager.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await launchChromium();
  try {
    const store = manager.get(EventStore);
    await fill(store);
    await manager.get(ReadModels).waitFor(await store.headPosition());
    log(`log holds ${await store.headPosition()} events`);

    const page = await (await browser.newContext()).newPage();
    const signIn = await scriptsLoaded(page, async () => {
      await page.goto(`${base}/ui/`);
      await page.getByLabel('API token').waitFor();
    });
    const overview = await scriptsLoaded(page, async () => {
      await page.getByLabel('API token').fill(TEST_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('region', { name: 'Latest events' }).locator('tbody tr').first().waitFor();
    });
    const firstPageKb = signIn.kb + overview.kb;
    log(`first page: ${signIn.files} + ${overview.files} script files, ${firstPageKb.toFixed(1)} KB gzip`);

    const deployments = await timePage(page, `${base}/ui/deployments`, 25, '/deployments');
    // The pager asks the API for the next 25: the list beyond the first page comes from the server.
    const first = await page.locator('main table tbody tr').first().textContent();
    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    if ((await page.locator('main table tbody tr').first().textContent()) === first) {
      throw new Error('page 2 of the deployments shows the first page');
    }
    const audit = await timePage(page, `${base}/ui/audit`, 1, '/audit');
    for (const [name, figures] of Object.entries({ deployments, audit })) {
      log(`${name}: cold ${figures.cold.toFixed(0)} ms; asked ${figures.asked}`);
    }

    const under = (kb: number): Row => ({
      figure: 'first page JavaScript, gzip (budget as baseline)',
      store: kb,
      baseline: JS_BUDGET_KB,
      unit: 'KB',
      better: 'lower',
      goal: 1,
    });
    const drawn = (figure: string, figures: { page: number; api: number }): Row => ({
      figure,
      store: figures.page,
      baseline: figures.api,
      unit: 'ms',
      better: 'lower',
      goal: 0.5,
      limit: 1000,
    });
    const report = table(
      [
        under(firstPageKb),
        drawn('navigation to the deployments list drawn (API call alone as baseline)', deployments),
        drawn('navigation to the first audit page drawn (API call alone as baseline)', audit),
      ],
      'chromium page',
    );
    process.stdout.write(`${report}\n`);
  } finally {
    await browser.close();
    await manager.stop();
  }
}

runBench(main);
