/**
 * Deploy benchmark: platform overhead of an automatic redeploy. A commit is pushed to a repository the
 * system follows (the three apps as processes, the poller on) and the time until its page is served is
 * measured; the baseline is a bare `docker-compose up -d --build` of the same project, measured in the same
 * run, from the same files, until its page is served. `npm run bench:deploy`; figures go to
 * docs/performance.md. Needs what `npm test` starts (dockerd, the test database, the base image).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GitHost } from '../../test/support/git-host';
import { freePort } from '../../test/support/ports';
import { System } from '../../test/support/system';
import { webSite } from '../../test/support/web-site';
import { now, percentile } from '../measure';
import { untilServed } from './until-served';

const run = promisify(execFile);
const ORG = 'bench-org';
const config = {
  pollMs: Number(process.env.BENCH_POLL_MS ?? 1000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The baseline: the same files in a folder of their own, `docker-compose up -d --build`, until served. */
async function bare(dir: string, port: number, page: string): Promise<number> {
  for (const [path, content] of Object.entries(webSite(port, page))) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const start = now();
  await run('docker-compose', [
    '-p',
    'td_bench_bare',
    '-f',
    join(dir, 'docker-compose.yml'),
    'up',
    '-d',
    '--build',
  ]);
  return untilServed(port, page, start);
}

async function main(): Promise<void> {
  process.env.TEST_MONGO_URL ??= 'mongodb://127.0.0.1:27117';
  const git = await GitHost.start();
  const system = await System.start({
    allowedOrgs: ORG,
    gitBaseUrl: git.baseUrl,
    pollIntervalMs: config.pollMs,
  });
  const scratch = await mkdtemp(join(tmpdir(), 'bench-deploy-'));
  const [port, barePort] = [await freePort(), await freePort()];
  const repo = 'followed';
  try {
    log(`first deployment (poll interval ${config.pollMs} ms)`);
    await git.push(ORG, repo, webSite(port, 'v0'));
    await system.call('POST', '/deployments', { org: ORG, repo });
    await untilServed(port, 'v0', now());
    await bare(scratch, barePort, 'v0');
    const platform: number[] = [];
    const baseline: number[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      const page = `v${round}`;
      const start = now();
      await git.push(ORG, repo, webSite(port, page));
      platform.push(await untilServed(port, page, start));
      baseline.push(await bare(scratch, barePort, page));
      log(
        `round ${round}: push to served ${Math.round(platform[round - 1])} ms, bare compose ${Math.round(baseline[round - 1])} ms`,
      );
    }
    const [p50, b50] = [percentile(platform, 50), percentile(baseline, 50)];
    const overhead = p50 - b50;
    const goal = 1000 + config.pollMs;
    console.log(`\nDeploy bench (${config.rounds} rounds, poll interval ${config.pollMs} ms)\n`);
    console.log('| figure | value |');
    console.log('|---|---|');
    console.log(`| new commit pushed → new version served, median | ${Math.round(p50)} ms |`);
    console.log(`| bare docker-compose up -d --build → served, median | ${Math.round(b50)} ms |`);
    console.log(`| platform overhead (difference) | ${Math.round(overhead)} ms |`);
    console.log(
      `| goal: overhead ≤ 1 s + poll interval | ${goal} ms: ${overhead <= goal ? 'met' : 'MISSED'} |`,
    );
  } finally {
    await run('docker-compose', [
      '-p',
      'td_bench_bare',
      '-f',
      join(scratch, 'docker-compose.yml'),
      'down',
      '--rmi',
      'local',
    ]).catch(() => undefined);
    await system.composeDown(ORG, repo).catch(() => undefined);
    await system.stop();
    await git.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
