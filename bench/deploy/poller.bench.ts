/**
 * Poller benchmark: what one round of the Manager's RepositoryPoller costs over 100, 300 and 1,000 followed
 * repositories, with each head source of the Worker (`git ls-remote`, and GitHub's REST API with ETags).
 *
 * The three apps run as processes (as in the e2e tests), the poller on with a short interval. The repositories
 * are real git repositories served over HTTP on 127.0.0.1, each at its own URL; for the GitHub source a
 * stand-in of GitHub's branch-head endpoint answers with ETags and 304s. The Manager is made to follow them by
 * recording, per repository, the events of a deployment that succeeded at the served commit (see
 * followed-deployments.ts): the read model the poller reads is built from exactly these events, and no container
 * runs, since a thousand docker deploys would measure Docker, not the poller. Every round then checks every
 * repository and finds its head unchanged, which is the poller's steady state.
 *
 * Rounds are told apart by the Manager's `poll round:` log line; between two of them the poller waits its
 * interval, so the CPU time of the Manager and the Worker (from /proc, with the git processes the Worker ran)
 * is read in that gap and the difference covers one round (plus the idle gap). The baseline, measured in the
 * same run, is the same heads fetched with nothing around them, at the poller's concurrency, by a process of
 * its own (bare-heads.ts). `npm run bench:poller`; figures go to docs/performance.md.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { System } from '../../test/support/system';
import { percentile, Row, table } from '../measure';
import { dropDatabase, recordFollowedDeployments } from './followed-deployments';
import { GitHubStandIn } from './github-stand-in';
import { cpuSeconds } from './process-cpu';
import { RoundLog } from './round-log';
import { ServedRepositories } from './served-repositories';

const run = promisify(execFile);
const ORG = 'bench-org';
const list = (value: string) => value.split(',').map((item) => item.trim());
const config = {
  sizes: list(process.env.BENCH_POLLER_SIZES ?? '100,300,1000').map(Number),
  sources: list(process.env.BENCH_POLLER_SOURCES ?? 'git,github') as Source[],
  rounds: Number(process.env.BENCH_POLLER_ROUNDS ?? 3),
  intervalMs: Number(process.env.BENCH_POLLER_INTERVAL_MS ?? 1000),
  concurrency: Number(process.env.POLL_CONCURRENCY ?? 8),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

type Source = 'git' | 'github';

interface Measured {
  source: Source;
  size: number;
  /** Medians over the measured rounds. */
  ms: number;
  manager: number;
  worker: number;
  /** The bench process: the git HTTP server and the git processes it runs, or the GitHub stand-in. */
  host: number;
  /** Not-304 answers of the GitHub stand-in per round. */
  charged: number;
  /** Not-304 answers until the first round over all repositories ended (the Worker knew no ETag yet). */
  chargedFirst: number;
  baseline: { ms: number; cpuSeconds: number };
}

async function measure(
  source: Source,
  size: number,
  served: ServedRepositories,
  github: GitHubStandIn,
): Promise<Measured> {
  const system = await System.start({
    allowedOrgs: ORG,
    gitBaseUrl: served.baseUrl,
    pollIntervalMs: config.intervalMs,
    env: {
      manager: { POLL_CONCURRENCY: String(config.concurrency) },
      worker: source === 'github' ? { HEAD_SOURCE: 'github', GITHUB_API_URL: github.url } : {},
    },
  });
  const repos = served.repos.slice(0, size);
  try {
    await recordFollowedDeployments(system.mongoUrl, ORG, repos, served.commit);
    const rounds = new RoundLog(system.logFile('manager'));
    const chargedBefore = github.charged;
    // The first round over all of them fetches every head once (for GitHub, the ETags): not measured.
    await rounds.next(size);
    const chargedFirst = github.charged - chargedBefore;
    const samples: Omit<Measured, 'source' | 'size' | 'baseline' | 'chargedFirst'>[] = [];
    const snapshot = () => ({
      manager: cpuSeconds(system.pid('manager')),
      worker: cpuSeconds(system.pid('worker')),
      host: cpuSeconds('self'),
      charged: github.charged,
    });
    for (let index = 0; index < config.rounds; index++) {
      const before = snapshot();
      const round = await rounds.next(size);
      const after = snapshot();
      if (round.failed || round.followed) throw new Error(`round ${JSON.stringify(round)} was not steady`);
      samples.push({
        ms: round.ms,
        manager: after.manager - before.manager,
        worker: after.worker - before.worker,
        host: after.host - before.host,
        charged: after.charged - before.charged,
      });
      log(`  ${source} ${size}: round ${index + 1} ${round.ms} ms, ${JSON.stringify(samples[index])}`);
    }
    const median = (key: keyof (typeof samples)[number]) =>
      percentile(
        samples.map((sample) => sample[key]),
        50,
      );
    return {
      source,
      size,
      ms: median('ms'),
      manager: median('manager'),
      worker: median('worker'),
      host: median('host'),
      charged: median('charged'),
      chargedFirst,
      baseline: await bare(source, repos, served, github),
    };
  } finally {
    await system.stop();
    await dropDatabase(system.mongoUrl);
  }
}

/** The same heads with nothing around them, in a process of its own (bare-heads.ts). */
async function bare(source: Source, repos: string[], served: ServedRepositories, github: GitHubStandIn) {
  const urls = repos.map((repo) =>
    source === 'git' ? served.url(repo) : `${github.url}/repos/${ORG}/${repo}/commits/main`,
  );
  const { stdout } = await run(
    'node',
    [join(__dirname, 'bare-heads.js'), source, String(config.concurrency), ...urls],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as { ms: number; cpuSeconds: number };
}

function rows(results: Measured[]): Row[] {
  const out: Row[] = [];
  for (const source of config.sources) {
    const of = results.filter((result) => result.source === source);
    for (const result of of) {
      const name = `${source}, ${result.size.toLocaleString('en-US')} repos`;
      out.push(
        {
          figure: `${name}: round`,
          store: result.ms,
          baseline: result.baseline.ms,
          unit: 'ms',
          better: 'lower',
        },
        {
          figure: `${name}: CPU, Manager + Worker`,
          store: result.manager + result.worker,
          baseline: result.baseline.cpuSeconds,
          unit: 's',
          better: 'lower',
        },
      );
    }
    const [first, last] = [of[0], of[of.length - 1]];
    if (of.length < 2) continue;
    const growth = `${source}, growth ${first.size} → ${last.size.toLocaleString('en-US')}`;
    out.push(
      {
        figure: `${growth}: round`,
        store: last.ms / first.ms,
        baseline: last.baseline.ms / first.baseline.ms,
        unit: 'x',
        better: 'lower',
      },
      {
        figure: `${growth}: CPU`,
        store: (last.manager + last.worker) / (first.manager + first.worker),
        baseline: last.baseline.cpuSeconds / first.baseline.cpuSeconds,
        unit: 'x',
        better: 'lower',
      },
    );
  }
  return out;
}

function breakdown(results: Measured[]): string {
  const lines = results.map(
    (r) =>
      `| ${r.source} | ${r.size} | ${Math.round(r.ms)} | ${r.manager.toFixed(2)} | ${r.worker.toFixed(2)} | ` +
      `${r.host.toFixed(2)} | ${r.source === 'github' ? `${r.chargedFirst} / ${r.charged}` : '-'} |`,
  );
  return [
    '| source | repos | round ms | Manager CPU s | Worker CPU s | git host / stand-in CPU s | GitHub requests charged, first round / later |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

async function main(): Promise<void> {
  process.env.TEST_MONGO_URL ??= 'mongodb://127.0.0.1:27117';
  log(`serving ${Math.max(...config.sizes)} repositories`);
  const served = await ServedRepositories.create(ORG, Math.max(...config.sizes));
  const github = await GitHubStandIn.start(served.commit);
  try {
    const results: Measured[] = [];
    for (const source of config.sources) {
      for (const size of config.sizes) {
        log(`${source}: ${size} repositories`);
        results.push(await measure(source, size, served, github));
      }
    }
    console.log(
      `\nPoller bench (median of ${config.rounds} rounds; interval ${config.intervalMs} ms; ` +
        `concurrency ${config.concurrency}; baseline: the bare heads, same concurrency)\n`,
    );
    console.log(table(rows(results), 'poller'));
    console.log(`\nPer round (medians; CPU over the round and the idle interval after it)\n`);
    console.log(breakdown(results));
  } finally {
    await github.stop();
    await served.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
