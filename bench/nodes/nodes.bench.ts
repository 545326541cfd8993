/**
 * Nodes benchmark: one Manager (a process of its own, as in production) holding sessions to simulated nodes:
 * ICP servers in this process that answer like Workers and Guardians (capacity, deploy, applyFirewall,
 * applyRoutes) on 127.0.0.1. For 1, 5 and 50 nodes (BENCH_NODES_SIZES), on a fresh database each:
 *
 * - the sessions held, and the Manager's CPU over BENCH_NODES_IDLE_SECONDS (30) of idle: heartbeats, capacity
 *   reports every CAPACITY_INTERVAL_MS and firewall and route syncs every FIREWALL_SYNC_INTERVAL_MS (both
 *   BENCH_NODES_INTERVAL_MS: 10 s, six times production's, so the cost shows in a short run), as a share of one
 *   core and per node;
 * - one firewall sync of every Guardian (`POST /firewall/sync`): time, and the Manager's CPU per node;
 * - BENCH_NODES_DEPLOYMENTS (1,000; 0 leaves them out) deployments of new repositories, 8 requests at a time,
 *   each placed by rule on its first run, until all have succeeded: time, the Manager's CPU per deployment, and
 *   how evenly they spread (each stand-in Worker's reported memory shrinks with each project it runs).
 *
 * The baseline is the same run with one node: growth from it (and from 5 to 50) is what the figures show.
 * `npm run bench:nodes`; needs the test database (TEST_MONGO_URL). Figures go to docs/performance.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testDatabaseUrl } from '../../test/support/database';
import { testMasterKeyFile } from '../../test/support/master-key';
import { eventually, freePort } from '../../test/support/ports';
import { launch, main as appMain, stopProcess } from '../../test/support/system';
import { cpuSeconds } from '../deploy/process-cpu';
import { concurrently, now } from '../measure';
import { asked, standInNodes, StandInNode } from './stand-in-nodes';

const run = promisify(execFile);
const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  sizes: (process.env.BENCH_NODES_SIZES ?? '1,5,50').split(',').map(Number),
  idleSeconds: int('BENCH_NODES_IDLE_SECONDS', 30),
  deployments: int('BENCH_NODES_DEPLOYMENTS', 1000),
  /** CAPACITY_INTERVAL_MS and FIREWALL_SYNC_INTERVAL_MS of the Manager (production: 60000 each). */
  intervalMs: int('BENCH_NODES_INTERVAL_MS', 10_000),
};
const ORG = 'bench-org';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Figures {
  nodes: number;
  sessions: number;
  idleCorePercent: number;
  idleCpuMsPerNodeMinute: number;
  syncMs: number;
  syncCpuMsPerNode: number;
  placeSeconds: number;
  cpuMsPerDeployment: number;
  spread: string;
}

async function measure(size: number, dir: string): Promise<Figures> {
  const port = await freePort();
  const env = {
    MANAGER_PORT: String(port),
    MANAGER_STATE_DIR: join(dir, `manager-${size}`),
    MONGO_URL: testDatabaseUrl('bench-nodes'),
    ADMIN_TOKEN: TOKEN,
    ALLOWED_ORGS: ORG,
    POLL_INTERVAL_MS: '0',
    MASTER_KEY_FILE: testMasterKeyFile(),
    CAPACITY_INTERVAL_MS: String(config.intervalMs),
    FIREWALL_SYNC_INTERVAL_MS: String(config.intervalMs),
    LOG_LEVEL: 'warn',
  };
  const fingerprint = (
    await run('node', [appMain('manager'), 'fingerprint'], { env: { ...process.env, ...env } })
  ).stdout.trim();
  const nodes = await standInNodes(join(dir, `nodes-${size}`), 0, size, fingerprint);
  const manager = launch('manager', dir, env);
  const api = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  try {
    await eventually(
      async () => ((await fetch(`${api}/health`).catch(() => null))?.ok ? true : undefined),
      60_000,
    );
    for (const node of nodes) await enrol(call, node);
    const listed = await eventually(async () => {
      const all = (await call('GET', '/nodes')) as { kind: string; connected: boolean; capacity: unknown }[];
      return all.every((one) => one.connected && (one.kind === 'guardian' || one.capacity)) ? all : undefined;
    }, 120_000);
    const sessions = listed.filter((one) => one.connected).length;
    log(`${size} nodes: ${sessions} sessions up`);

    const idleFrom = cpuSeconds(manager.pid!);
    await new Promise((resolve) => setTimeout(resolve, config.idleSeconds * 1000));
    const idleCpu = cpuSeconds(manager.pid!) - idleFrom;

    const syncFrom = cpuSeconds(manager.pid!);
    const syncStart = now();
    await call('POST', '/firewall/sync');
    const syncMs = now() - syncStart;
    const syncCpu = cpuSeconds(manager.pid!) - syncFrom;

    const place = config.deployments > 0 ? await placeAll(call, manager.pid!) : null;
    return {
      nodes: size,
      sessions,
      idleCorePercent: (idleCpu / config.idleSeconds) * 100,
      idleCpuMsPerNodeMinute: (idleCpu * 1000 * 60) / config.idleSeconds / size,
      syncMs,
      syncCpuMsPerNode: (syncCpu * 1000) / size,
      placeSeconds: place?.seconds ?? NaN,
      cpuMsPerDeployment: place?.cpuMsPerDeployment ?? NaN,
      spread: place?.spread ?? '-',
    };
  } finally {
    await stopProcess(manager);
    await Promise.all(nodes.flatMap((node) => node.servers.map((server) => server.close())));
  }
}

/** BENCH_NODES_DEPLOYMENTS new projects deployed, placed by rule, until all have succeeded. */
async function placeAll(call: Call, pid: number) {
  const from = cpuSeconds(pid);
  const start = now();
  await concurrently(8, config.deployments, async (_, i) => {
    await call('POST', '/deployments', { org: ORG, repo: `r${i}` });
  });
  await eventually(async () => {
    const stats = (await call('GET', '/stats')) as { overall: { succeeded: number } };
    return stats.overall.succeeded >= config.deployments ? true : undefined;
  }, 30 * 60_000);
  const ms = now() - start;
  const cpu = cpuSeconds(pid) - from;
  const placed = ((await call('GET', '/nodes')) as { kind: string; projects: string[] }[])
    .filter((one) => one.kind === 'worker')
    .map((one) => one.projects.length);
  log(`${placed.length} nodes: ${config.deployments} deployments in ${(ms / 1000).toFixed(1)} s`);
  return {
    seconds: ms / 1000,
    cpuMsPerDeployment: (cpu * 1000) / config.deployments,
    spread: `${Math.min(...placed)}–${Math.max(...placed)}`,
  };
}

type Call = (method: string, path: string, body?: object) => Promise<unknown>;

async function enrol(
  call: (method: string, path: string, body?: object) => Promise<unknown>,
  node: StandInNode,
) {
  await call('POST', '/nodes', {
    name: `guardian-${node.name}`,
    kind: 'guardian',
    url: `wss://127.0.0.1:${node.guardian.port}`,
    fingerprint: node.guardian.fingerprint,
  });
  await call('POST', '/nodes', {
    name: `worker-${node.name}`,
    kind: 'worker',
    url: `wss://127.0.0.1:${node.worker.port}`,
    fingerprint: node.worker.fingerprint,
    guardian: `guardian-${node.name}`,
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-nodes-'));
  try {
    const results: Figures[] = [];
    for (const size of config.sizes) results.push(await measure(size, dir));
    const fixed = (value: number, digits = 1) => value.toFixed(digits);
    console.log(
      '| nodes | sessions | idle CPU (% of a core) | idle CPU per node (ms a minute) | sync all Guardians (ms) | sync CPU per node (ms) | 1,000 deployments (s) | CPU per deployment (ms) | projects per Worker |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.nodes} | ${r.sessions} | ${fixed(r.idleCorePercent, 2)} | ${fixed(r.idleCpuMsPerNodeMinute)} | ${fixed(r.syncMs)} | ${fixed(r.syncCpuMsPerNode, 2)} | ${fixed(r.placeSeconds)} | ${fixed(r.cpuMsPerDeployment, 2)} | ${r.spread} |`,
      );
    }
    console.log(`\nstand-in nodes were asked: ${JSON.stringify(Object.fromEntries(asked))}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
