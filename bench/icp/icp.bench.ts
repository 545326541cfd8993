/**
 * ICP benchmark: round-trip latency and throughput of `health` requests over the real mutually authenticated
 * WSS session, against a bare `ws` echo over the same mutual TLS 1.3, both on loopback, the servers in child
 * processes. `npm run bench:icp`; sizes from BENCH_* (see below). Figures go to docs/performance.md.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { IcpClient, Identity, loadOrCreateIdentity } from '@testausdeploy/icp';
import { concurrently, met, now, percentile, Row, table } from '../measure';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  /** Sequential requests for the latency figures. */
  latencyRequests: int('BENCH_LATENCY_REQUESTS', 5000),
  /** Requests for the throughput figure, and how many are kept in flight. */
  throughputRequests: int('BENCH_THROUGHPUT_REQUESTS', 50_000),
  inFlight: int('BENCH_IN_FLIGHT', 64),
  /** Each side is measured this many times, alternately; the best run counts. */
  rounds: int('BENCH_ROUNDS', 3),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Something that answers a `health` request: the ICP client or the bare echo client. */
type Ask = () => Promise<unknown>;

async function startServer(kind: 'icp' | 'echo', dir: string, trusted: string) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(__dirname, 'servers.js'), kind, dir, trusted],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = await createInterface({ input: child.stdout! })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value]);
  return { child, port: Number(line) };
}

async function icpClient(port: number, identity: Identity, serverFingerprint: string): Promise<Ask> {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const client = new IcpClient({
    url: `wss://127.0.0.1:${port}`,
    identity,
    serverFingerprint,
    logger: quiet,
  });
  client.start();
  while (!client.connected) await new Promise((resolve) => setTimeout(resolve, 10));
  return () => client.request('health', {}, { timeoutMs: 30_000 });
}

async function echoClient(port: number, identity: Identity): Promise<Ask> {
  const ws = new WebSocket(`wss://127.0.0.1:${port}`, {
    key: identity.key,
    cert: identity.cert,
    minVersion: 'TLSv1.3',
    rejectUnauthorized: false,
  });
  const pending = new Map<string, () => void>();
  ws.on('message', (raw) => {
    const { id } = JSON.parse(raw.toString()) as { id: string };
    pending.get(id)?.();
    pending.delete(id);
  });
  await new Promise((resolve) => ws.once('open', resolve));
  return () =>
    new Promise<void>((resolve) => {
      const id = randomUUID();
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, command: 'health', data: {} }));
    });
}

async function latencies(ask: Ask, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = now();
    await ask();
    samples.push(now() - start);
  }
  return samples;
}

async function throughput(ask: Ask, count: number, inFlight: number): Promise<number> {
  const ms = await concurrently(inFlight, count, async () => {
    await ask();
  });
  return count / (ms / 1000);
}

interface Figures {
  p50: number;
  p99: number;
  perSecond: number;
}

async function measure(ask: Ask): Promise<Figures> {
  const samples = await latencies(ask, config.latencyRequests);
  const perSecond = await throughput(ask, config.throughputRequests, config.inFlight);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond };
}

function best(runs: Figures[]): Figures {
  return {
    p50: Math.min(...runs.map((run) => run.p50)),
    p99: Math.min(...runs.map((run) => run.p99)),
    perSecond: Math.max(...runs.map((run) => run.perSecond)),
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-icp-'));
  const children: ChildProcess[] = [];
  try {
    const client = await loadOrCreateIdentity(join(dir, 'client'), 'bench-client');
    const servers = {
      icp: await startServer('icp', join(dir, 'icp'), client.fingerprint),
      echo: await startServer('echo', join(dir, 'echo'), client.fingerprint),
    };
    children.push(servers.icp.child, servers.echo.child);
    const icpFingerprint = (await loadOrCreateIdentity(join(dir, 'icp'), 'bench-server')).fingerprint;
    const asks = {
      icp: await icpClient(servers.icp.port, client, icpFingerprint),
      echo: await echoClient(servers.echo.port, client),
    };
    log('warming up');
    for (const ask of Object.values(asks))
      await throughput(ask, config.throughputRequests / 10, config.inFlight);
    const runs: Record<'icp' | 'echo', Figures[]> = { icp: [], echo: [] };
    for (let round = 1; round <= config.rounds; round++) {
      for (const side of ['echo', 'icp'] as const) {
        log(`round ${round}: ${side}`);
        runs[side].push(await measure(asks[side]));
      }
    }
    const [icp, echo] = [best(runs.icp), best(runs.echo)];
    const rows: Row[] = [
      {
        figure: 'round trip p50, 1 in flight',
        store: icp.p50,
        baseline: echo.p50,
        unit: 'ms',
        better: 'lower',
        goal: 1 / 1.3,
      },
      {
        figure: 'round trip p99, 1 in flight',
        store: icp.p99,
        baseline: echo.p99,
        unit: 'ms',
        better: 'lower',
      },
      {
        figure: `throughput, ${config.inFlight} in flight`,
        store: icp.perSecond,
        baseline: echo.perSecond,
        unit: 'requests/s',
        better: 'higher',
        goal: 0.7,
      },
    ];
    console.log(
      `\nICP bench (best of ${config.rounds} rounds each; ${config.latencyRequests} sequential requests, ${config.throughputRequests} with ${config.inFlight} in flight)\n`,
    );
    console.log(table(rows, 'ICP'));
    console.log(
      '\nratio: baseline / ICP for latency (goal >= 0.77, i.e. ICP p50 <= 1.3x), ICP / baseline for throughput',
    );
    const missed = rows.filter((row) => met(row) === false).length;
    console.log(missed > 0 ? `\n${missed} goal(s) missed` : '\nall goals met');
  } finally {
    children.forEach((child) => child.kill());
    await rm(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

void main();
