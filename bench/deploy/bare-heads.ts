/**
 * The baseline of bench/deploy/poller.bench.ts, run as a process of its own so its CPU time is its alone:
 * the branch heads of the given URLs, `concurrency` at a time, with nothing around them: `git ls-remote` spawned
 * directly, or GitHub-style requests with the ETag of a first, unmeasured pass (so all answer 304). Prints
 * `{ ms, cpuSeconds }` of the measured pass as JSON.
 * `node bare-heads.js git|github <concurrency> <url>...` (for github, the API URL of each head).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { concurrently } from '../measure';
import { cpuSeconds } from './process-cpu';

const run = promisify(execFile);

async function main(): Promise<void> {
  const [mode, concurrency, ...urls] = process.argv.slice(2);
  const etags = new Map<string, string>();
  const head = async (url: string): Promise<void> => {
    if (mode === 'git') {
      await run('git', ['ls-remote', url, 'refs/heads/main'], {
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
      return;
    }
    const known = etags.get(url);
    const response = await fetch(url, {
      headers: { Accept: 'application/vnd.github.sha', ...(known && { 'If-None-Match': known }) },
    });
    await response.text();
    etags.set(url, response.headers.get('etag') ?? '');
  };
  if (mode === 'github') for (const url of urls) await head(url);
  const cpu = cpuSeconds('self');
  const ms = await concurrently(Number(concurrency), urls.length, (_, index) => head(urls[index]));
  console.log(JSON.stringify({ ms, cpuSeconds: cpuSeconds('self') - cpu }));
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
