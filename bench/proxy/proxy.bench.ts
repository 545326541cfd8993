/**
 * Proxy benchmark (issue 19), two parts. `npm run bench:proxy`; figures go to docs/performance.md. Needs what
 * `npm test` starts (dockerd, the test database, the base image, Debian's caddy).
 *
 * 1. Throughput and latency of an app through Caddy (HTTPS, the route the Guardian loads, keep-alive clients as
 *    browsers are) against the same container reached directly on its address (plain HTTP), in the same run, for
 *    an app that keeps connections open and for one that answers one request per connection (APPS):
 *    `BENCH_PROXY_CLIENTS` (8) clients, `BENCH_PROXY_REQUESTS` (4,000) requests per side, alternating sides over
 *    `BENCH_PROXY_ROUNDS` (3) rounds, medians.
 * 2. Redeploys on the three apps with the proxy: `BENCH_REDEPLOYS` (3) zero-downtime redeploys of a routed
 *    project under a load loop of HTTPS requests (failed requests, time to the new version's success and to the
 *    old one's retirement), against the same project with its volume marked exclusive, which is redeployed in
 *    place (its failed requests and time to success).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { CaddyUnderTest } from '../../test/support/caddy';
import { ProxiedSystem } from '../../test/support/proxied-system';
import { failed, HttpsLoad } from '../../test/support/https-load';
import { eventually } from '../../test/support/ports';
import { proxyState, ProxyState } from '@testausdeploy/icp';
import { loadGuardianConfig } from '../../apps/guardian/src/config/guardian-config';
import { DesiredStateFile } from '../../apps/guardian/src/desired/desired-state-file';
import { CaddyAdmin } from '../../apps/guardian/src/proxy/caddy-admin';
import { ReverseProxy } from '../../apps/guardian/src/proxy/reverse-proxy';
import { now, percentile, Row, runBench, table } from '../measure';

const config = {
  clients: Number(process.env.BENCH_PROXY_CLIENTS ?? 8),
  requests: Number(process.env.BENCH_PROXY_REQUESTS ?? 4000),
  rounds: Number(process.env.BENCH_PROXY_ROUNDS ?? 3),
  redeploys: Number(process.env.BENCH_REDEPLOYS ?? 3),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (values: number[]) => percentile(values, 50);
const IMAGE = 'testausdeploy/busybox:latest';
const SERVE = 'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www';

interface Pass {
  perSecond: number;
  /** CPU time the proxy (Caddy) used per request over the pass, in ms (0 when it was not in the way). */
  proxyCpu: number;
  p50: number;
  p99: number;
  failed: number;
}

/** `config.requests` GETs spread over `config.clients` clients, each waiting for its answer before the next. */
async function pass(get: () => Promise<void>, proxyPid?: number): Promise<Pass> {
  const cpuBefore = proxyPid ? await cpuMs(proxyPid) : 0;
  const latencies: number[] = [];
  let failures = 0;
  let handed = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: config.clients }, async () => {
      while (handed++ < config.requests) {
        const began = now();
        await get().then(
          () => latencies.push(now() - began),
          () => failures++,
        );
      }
    }),
  );
  const seconds = (now() - start) / 1000;
  const proxyCpu = proxyPid ? ((await cpuMs(proxyPid)) - cpuBefore) / config.requests : 0;
  return {
    perSecond: latencies.length / seconds,
    proxyCpu,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: failures,
  };
}

/** A process's CPU time so far (user and system), in ms. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function getter(
  request: (done: (res: http.IncomingMessage) => void) => http.ClientRequest,
): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      const req = request((res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode)))));
      });
      req.on('error', reject);
      req.end();
    });
}

/** An app the proxy is measured in front of, run from the base image. */
interface App {
  name: string;
  cmd: string[];
  binds: string[];
  /** Whether it keeps a connection open for the next request (the direct clients then do too). */
  keepAlive: boolean;
  /** What is asked for. */
  path: string;
}

/** A page made per request by a CGI script that works for about a millisecond, as a dynamic page does. */
const CGI = [
  'mkdir -p /www/cgi-bin',
  `printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\ni=0\\nwhile [ $i -lt 200 ]; do i=$((i+1)); done\\necho hello\\n' > /www/cgi-bin/page`,
  'chmod 755 /www/cgi-bin/page',
  'exec httpd -f -p 8080 -h /www',
].join(' && ');

/**
 * Three apps: Caddy's own static responder (Debian's binary and its libraries mounted read-only into the base
 * image), which keeps connections open as every app server does and does next to nothing per request; busybox
 * `httpd` with a static file, which answers one request per connection, so the proxy opens a connection to it for
 * each request as the direct clients do; and the same `httpd` running a page that works per request.
 */
const APPS: App[] = [
  {
    name: 'static answer, connections kept',
    cmd: ['/caddy', 'respond', '--listen', ':8080', '--body', 'hello'],
    binds: ['/usr/bin/caddy:/caddy:ro', '/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro', '/lib64:/lib64:ro'],
    keepAlive: true,
    path: '/',
  },
  {
    name: 'static file, a connection per request',
    cmd: ['sh', '-c', SERVE],
    binds: [],
    keepAlive: false,
    path: '/',
  },
  {
    name: 'page made per request',
    cmd: ['sh', '-c', CGI],
    binds: [],
    keepAlive: false,
    path: '/cgi-bin/page',
  },
];

async function throughput(app: App): Promise<Row[]> {
  const docker = new Dockerode();
  const dir = await mkdtemp(join(tmpdir(), 'proxy-bench-'));
  const caddy = await CaddyUnderTest.start();
  let proxy: ReverseProxy | undefined;
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: app.cmd,
    Env: ['HOME=/tmp'],
    HostConfig: { Binds: app.binds },
  });
  try {
    await container.start();
    const inspected = await container.inspect();
    const address = (inspected.NetworkSettings as unknown as { IPAddress: string }).IPAddress;
    const subnet = `${address.split('.').slice(0, 2).join('.')}.0.0/16`;
    const settings = loadGuardianConfig(
      { host: '127.0.0.1', port: 7445, stateDir: dir, trustFile: join(dir, 't'), logLevel: 'silent' },
      { ...caddy.guardianEnv(), UPSTREAM_SUBNETS: subnet, RECONCILE_INTERVAL_MS: '3600000' },
    );
    proxy = new ReverseProxy(
      settings,
      new CaddyAdmin(caddy.adminSocket),
      new DesiredStateFile<ProxyState>(join(dir, 'routes.json'), proxyState),
    );
    await proxy.onApplicationBootstrap();
    const host = 'bench.apps.test';
    await proxy.replace({
      routes: [{ owner: 'project:bench/app', hosts: [host], upstreams: [{ address, port: 8080 }] }],
    });
    await eventually(
      () => caddy.get(host, app.path).then((answer) => (answer.status === 200 ? answer : undefined)),
      30_000,
    );
    const ca = await caddy.rootCertificate();
    const tls = new https.Agent({ keepAlive: true, maxSockets: config.clients, ca });
    const plain = app.keepAlive ? new http.Agent({ keepAlive: true, maxSockets: config.clients }) : false;
    const viaProxy = getter((done) =>
      https.request(
        {
          host: '127.0.0.1',
          port: caddy.httpsPort,
          path: app.path,
          servername: host,
          headers: { host },
          agent: tls,
        },
        done,
      ),
    );
    const direct = getter((done) =>
      // busybox ends a CGI script's header lines with LF alone, which Node's strict parser refuses (Caddy takes it).
      http.request(
        { host: address, port: 8080, path: app.path, agent: plain, insecureHTTPParser: true },
        done,
      ),
    );
    const sides = { proxy: [] as Pass[], direct: [] as Pass[] };
    for (let round = 0; round < config.rounds; round++) {
      sides.direct.push(await pass(direct));
      sides.proxy.push(await pass(viaProxy, caddy.pid));
      log(
        `${app.name}, round ${round + 1}: direct ${JSON.stringify(sides.direct[round])}, proxy ${JSON.stringify(sides.proxy[round])}`,
      );
    }
    tls.destroy();
    if (plain) plain.destroy();
    const of = (side: Pass[], key: keyof Pass) => median(side.map((one) => one[key]));
    const failures =
      sides.proxy.reduce((sum, one) => sum + one.failed, 0) +
      sides.direct.reduce((sum, one) => sum + one.failed, 0);
    if (failures > 0) throw new Error(`${failures} requests failed`);
    console.log(`${app.name}: Caddy's CPU time per request ${of(sides.proxy, 'proxyCpu').toFixed(3)} ms`);
    return [
      {
        figure: `${app.name}: requests per second`,
        store: of(sides.proxy, 'perSecond'),
        baseline: of(sides.direct, 'perSecond'),
        unit: '1/s',
        better: 'higher',
        goal: 0.8,
      },
      {
        figure: `${app.name}: latency p50`,
        store: of(sides.proxy, 'p50'),
        baseline: of(sides.direct, 'p50'),
        unit: 'ms',
        better: 'lower',
      },
      {
        figure: `${app.name}: latency p99`,
        store: of(sides.proxy, 'p99'),
        baseline: of(sides.direct, 'p99'),
        unit: 'ms',
        better: 'lower',
        goal: 1 / 1.5,
      },
    ];
  } finally {
    await proxy?.onApplicationShutdown();
    await container.remove({ force: true });
    await caddy.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

const ORG = 'bench-proxy';
const DOMAIN = 'apps.test';

function app(version: number, exclusive: boolean): Record<string, string> {
  return {
    'docker-compose.yml': [
      'services:',
      '  web:',
      `    image: ${IMAGE}`,
      `    command: ["sh", "-c", "mkdir -p /www && echo v${version} > /www/index.html && exec httpd -f -p 8080 -h /www"]`,
      '    volumes: ["data:/data"]',
      '    stop_grace_period: 1s',
      'volumes:',
      '  data:',
      `    labels: {org.testausdeploy.exclusive: "${exclusive}"}`,
      '',
    ].join('\n'),
  };
}

interface Redeploy {
  /** From the request to the new version's recorded success. */
  succeededMs: number;
  /** From the request to the end of its log (the old version retired, for one beside). */
  endedMs: number;
  requests: number;
  failed: number;
}

async function redeploys(): Promise<Row[]> {
  const proxied = await ProxiedSystem.start({
    org: ORG,
    domain: DOMAIN,
    second: 93,
    manager: { REDEPLOY_DRAIN_MS: '2000' },
  });
  const { git, caddy, system } = proxied;
  const deploy = async (repo: string): Promise<Omit<Redeploy, 'requests' | 'failed'>> => {
    const start = now();
    const { body } = await system.call<{ deploymentId: string }>('POST', '/deployments', { org: ORG, repo });
    let succeededMs = 0;
    await eventually(async () => {
      const { body: view } = await system.call<{ status: string; reason: string }>(
        'GET',
        `/deployments/${body.deploymentId}`,
      );
      if (view.status === 'failed') throw new Error(view.reason);
      if (view.status === 'succeeded') succeededMs ||= now() - start;
      const { body: logs } = await system.call<{ running: boolean }>(
        'GET',
        `/deployments/${body.deploymentId}/logs`,
      );
      return succeededMs && !logs.running ? true : undefined;
    }, 300_000);
    return { succeededMs, endedMs: now() - start };
  };
  const results: Record<'beside' | 'inPlace', Redeploy[]> = { beside: [], inPlace: [] };
  try {
    for (const [kind, exclusive] of [
      ['beside', false],
      ['inPlace', true],
    ] as const) {
      const repo = `app-${kind.toLowerCase()}`;
      await git.push(ORG, repo, app(0, exclusive));
      await deploy(repo);
      await system.call('PUT', `/projects/${ORG}/${repo}/routes`, {
        routes: [{ service: 'web', port: 8080 }],
      });
      await deploy(repo);
      const load = new HttpsLoad(
        { host: `${repo}.${DOMAIN}`, port: caddy.httpsPort, ca: await caddy.rootCertificate() },
        4,
        100_000,
      );
      await eventually(
        async () => (load.answers.some(({ status }) => status === 200) ? true : undefined),
        60_000,
      );
      for (let round = 1; round <= config.redeploys; round++) {
        await git.push(ORG, repo, app(round, exclusive));
        const before = load.answers.length;
        const timing = await deploy(repo);
        const during = load.answers.slice(before);
        results[kind].push({ ...timing, requests: during.length, failed: failed(during).length });
        for (const { error, status, ms } of failed(during))
          log(`  failed after ${Math.round(ms)} ms: ${error ?? status}`);
        log(`${kind} redeploy ${round}: ${JSON.stringify(results[kind][round - 1])}`);
      }
      await load.stop();
    }
  } finally {
    await proxied.stop(ORG, ['app-beside', 'app-inplace']);
  }
  const of = (kind: 'beside' | 'inPlace', key: keyof Redeploy) =>
    median(results[kind].map((one) => one[key]));
  const sum = (kind: 'beside' | 'inPlace', key: keyof Redeploy) =>
    results[kind].reduce((total, one) => total + one[key], 0);
  return [
    {
      figure: 'failed requests over the redeploys',
      store: sum('beside', 'failed'),
      baseline: sum('inPlace', 'failed'),
      unit: 'requests',
      better: 'lower',
      limit: 0,
    },
    {
      figure: 'requests answered over the redeploys',
      store: sum('beside', 'requests'),
      baseline: sum('inPlace', 'requests'),
      unit: 'requests',
      better: 'higher',
    },
    {
      figure: 'time to the new version recorded',
      store: of('beside', 'succeededMs'),
      baseline: of('inPlace', 'succeededMs'),
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: 'time to the old version retired',
      store: of('beside', 'endedMs'),
      baseline: of('inPlace', 'endedMs'),
      unit: 'ms',
      better: 'lower',
    },
  ];
}

async function main(): Promise<void> {
  process.env.TEST_MONGO_URL ??= 'mongodb://127.0.0.1:27117';
  log(
    `through the proxy: ${config.clients} clients, ${config.requests} requests per side, ${config.rounds} rounds`,
  );
  const proxy: Row[] = [];
  // BENCH_PROXY_ROUNDS=0 measures the redeploys only.
  for (const app of config.rounds > 0 ? APPS : []) proxy.push(...(await throughput(app)));
  log(`redeploys: ${config.redeploys} of each kind`);
  const handover = await redeploys();
  console.log(`## Through the proxy\n\n${table(proxy, 'proxy')}\n`);
  console.log(`## Redeploys\n\n${table(handover, 'beside')}`);
}

runBench(main);
