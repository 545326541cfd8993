import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IcpError, proxyState, ProxyRoute, ProxyState } from '@testausdeploy/icp';
import { CaddyUnderTest } from '../../../../test/support/caddy';
import { assertNoneFailed, HttpsLoad } from '../../../../test/support/https-load';
import { eventually } from '../../../../test/support/ports';
import { loadGuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { CaddyAdmin } from './caddy-admin';
import { ReverseProxy } from './reverse-proxy';

// The upstreams are HTTP servers on 127.0.0.x that say who they are; the test lets routes reach loopback
// (UPSTREAM_SUBNETS), which production never does: there the apps network is the only place routes go.
describe('the reverse proxy against a real Caddy', () => {
  let dir: string;
  let caddy: CaddyUnderTest;
  const upstreams: Server[] = [];
  const proxies: ReverseProxy[] = [];

  async function upstream(address: string, says: string): Promise<{ address: string; port: number }> {
    const server = createServer((req, res) => {
      if (req.url === '/boom') res.statusCode = 500;
      res.end(`${says} ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    upstreams.push(server);
    return { address, port: (server.address() as AddressInfo).port };
  }

  async function startProxy(env: Record<string, string> = {}): Promise<ReverseProxy> {
    const config = loadGuardianConfig(
      { host: '127.0.0.1', port: 7999, stateDir: dir, trustFile: join(dir, 'trust'), logLevel: 'silent' },
      { ...caddy.guardianEnv(), UPSTREAM_SUBNETS: '127.0.0.0/8', RECONCILE_INTERVAL_MS: '3600000', ...env },
    );
    const proxy = new ReverseProxy(
      config,
      config.PROXY_ADMIN_SOCKET ? new CaddyAdmin(config.PROXY_ADMIN_SOCKET) : null,
      new DesiredStateFile<ProxyState>(join(dir, 'routes.json'), proxyState),
    );
    proxies.push(proxy);
    await proxy.onApplicationBootstrap();
    return proxy;
  }

  const route = (owner: string, hosts: string[], ...to: { address: string; port: number }[]): ProxyRoute => ({
    owner,
    hosts,
    upstreams: to,
  });

  // Caddy gets a new host name's certificate in the background, moments after the load: until then the
  // handshake fails.
  const firstAnswer = (host: string, requestPath = '/') =>
    eventually(() => caddy.get(host, requestPath), 30_000);

  const refused = async (work: Promise<unknown>, reason: RegExp) =>
    assert.rejects(work, (error: IcpError) => error.code === 'forbidden' && reason.test(error.message));

  let hello: { address: string; port: number };
  let other: { address: string; port: number };
  let proxy: ReverseProxy;

  before(async () => {
    dir = await fs.mkdtemp(join(os.tmpdir(), 'td-proxy-'));
    caddy = await CaddyUnderTest.start();
    [hello, other] = [await upstream('127.0.0.2', 'hello'), await upstream('127.0.0.3', 'other')];
    proxy = await startProxy();
  });

  after(async () => {
    for (const started of proxies) await started.onApplicationShutdown();
    for (const server of upstreams) server.close();
    await caddy?.remove();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves a route over HTTPS with a certificate from the local CA, with HSTS, and redirects HTTP', async () => {
    const report = await proxy.replace({ routes: [route('project:org/hello', ['hello.apps.test'], hello)] });
    assert.deepEqual(
      report.routes.map((r) => r.hosts),
      [['hello.apps.test']],
    );
    const answer = await firstAnswer('hello.apps.test', '/page');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'hello /page');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000');
    const plain = await caddy.get('hello.apps.test', '/page', true);
    assert.equal(plain.status, 308);
    assert.match(String(plain.headers.location), /^https:\/\/hello\.apps\.test(:\d+)?\/page$/);
  });

  it('replaces the routes whole: a second host name, an upstream moved, a route gone', async () => {
    await proxy.replace({
      routes: [
        route('project:org/hello', ['hello.apps.test', 'www.hello.test'], other),
        route('project:org/other', ['other.apps.test'], hello),
      ],
    });
    assert.equal((await firstAnswer('www.hello.test')).body, 'other /');
    assert.equal((await caddy.get('hello.apps.test')).body, 'other /');
    assert.equal((await firstAnswer('other.apps.test')).body, 'hello /');
    await proxy.replace({ routes: [route('project:org/hello', ['hello.apps.test'], hello)] });
    await assert.rejects(
      caddy.get('other.apps.test'),
      'a removed host name still has a certificate or route',
    );
    assert.equal((await caddy.get('hello.apps.test')).body, 'hello /');
  });

  it('switches an upstream 30 times under load without one failed request (the kernel migrates queued connections)', async () => {
    const switchTo = (to: { address: string; port: number }) =>
      proxy.replace({ routes: [route('project:org/hello', ['hello.apps.test'], to)] });
    await switchTo(hello);
    await firstAnswer('hello.apps.test');
    const load = new HttpsLoad(
      { host: 'hello.apps.test', port: caddy.httpsPort, ca: await caddy.rootCertificate() },
      4,
      10_000,
    );
    // Without net.ipv4.tcp_migrate_req every fourth switch or so reset a connection being opened (150 switches:
    // 44 of 20,176 requests failed; with it none of 20,072).
    for (let i = 1; i <= 30; i++) {
      await switchTo(i % 2 === 1 ? other : hello);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const answers = await load.stop();
    assertNoneFailed(answers);
    assert.deepEqual(new Set(answers.map(({ body }) => body)), new Set(['hello /', 'other /']));
  });

  it('refuses what breaks its limits, each reason named, and changes nothing', async () => {
    const before = await proxy.reconcile();
    await refused(
      proxy.replace({
        routes: [route('project:org/evil', ['evil.apps.test'], { address: '10.0.0.1', port: 2019 })],
      }),
      /project:org\/evil: upstream 10\.0\.0\.1:2019 is not in the apps network \(127\.0\.0\.0\/8\)/,
    );
    await refused(
      proxy.replace({
        routes: [route('project:org/evil', ['evil.apps.test'], { address: '127.0.0.1', port: 2019 })],
      }),
      /project:org\/evil: upstream 127\.0\.0\.1:2019 is the host itself/,
    );
    await refused(
      proxy.replace({
        routes: [
          route('project:org/hello', ['hello.apps.test'], hello),
          route('project:org/thief', ['hello.apps.test'], other),
        ],
      }),
      /project:org\/thief: hello\.apps\.test is project:org\/hello's/,
    );
    await refused(
      proxy.replace({
        routes: [
          route('project:org/hello', ['hello.apps.test'], hello),
          route('project:org/hello', ['hello.apps.test'], other),
        ],
      }),
      /hello\.apps\.test is in two of its routes/,
    );
    assert.deepEqual((await proxy.reconcile()).routes, before.routes);
    assert.equal((await caddy.get('hello.apps.test')).body, 'hello /');
  });

  it("keeps the routes when Caddy refuses a configuration, with Caddy's reason", async () => {
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    try {
      const crowded = await startProxy({ PROXY_HTTPS_PORT: String((taken.address() as AddressInfo).port) });
      await assert.rejects(
        crowded.replace({ routes: [route('project:org/hello', ['hello.apps.test'], other)] }),
        /Caddy refused POST \/load \(400\): .*address already in use/,
      );
      assert.equal((await caddy.get('hello.apps.test')).body, 'hello /');
    } finally {
      taken.close();
    }
  });

  it('puts back a configuration changed by hand, and reports the drift in words until acknowledged', async () => {
    const admin = new CaddyAdmin(caddy.adminSocket);
    const config = (await admin.config()) as {
      apps: { http: { servers: { apps: { routes: { handle: { upstreams?: { dial: string }[] }[] }[] } } } };
    };
    config.apps.http.servers.apps.routes[0].handle[1].upstreams = [{ dial: `127.0.0.3:${other.port}` }];
    await admin.load(config);
    assert.equal((await caddy.get('hello.apps.test')).body, 'other /');
    const report = await proxy.reconcile();
    assert.equal((await caddy.get('hello.apps.test')).body, 'hello /');
    const [drift] = report.drift;
    assert.deepEqual(drift.differences, [
      `apps.http.servers.apps.routes[0].handle[1].upstreams[0].dial is "127.0.0.3:${other.port}", not "127.0.0.2:${hello.port}"`,
    ]);
    assert.deepEqual((await proxy.reconcile()).drift, [drift], 'a second look found drift again');
    proxy.acknowledge(drift.boot, drift.sequence);
    assert.deepEqual((await proxy.reconcile()).drift, []);
  });

  it('loads the saved routes into a Caddy that restarted empty, as soon as it starts', async () => {
    caddy = await caddy.restart();
    assert.deepEqual(await new CaddyAdmin(caddy.adminSocket).config(), {
      admin: { listen: `unix/${caddy.adminSocket}` },
    });
    await startProxy();
    assert.equal((await firstAnswer('hello.apps.test')).body, 'hello /');
  });

  it("counts each host name's requests and server errors from Caddy's access log, since the Guardian started", async () => {
    const counted = async () =>
      (await proxy.reconcile()).requests.find(({ host }) => host === 'hello.apps.test');
    const before = await counted();
    assert.ok(before);
    for (const path of ['/a', '/b', '/boom']) await caddy.get('hello.apps.test', path);
    const after = await eventually(async () => {
      const now = await counted();
      return now && now.requests >= before.requests + 3 ? now : undefined;
    }, 10_000);
    assert.equal(after.requests, before.requests + 3);
    assert.equal(after.serverErrors, before.serverErrors + 1);
    assert.ok(Date.parse((await proxy.reconcile()).requestsSince) <= Date.now());
  });

  it("reports each host name's certificate: issued by the local CA until when, or failed with the CA's reason", async () => {
    const issued = (await proxy.reconcile()).certificates;
    assert.equal(issued.length, 1);
    assert.equal(issued[0].host, 'hello.apps.test');
    assert.equal(issued[0].state, 'issued');
    assert.ok(Date.parse(issued[0].notAfter ?? '') > Date.now(), JSON.stringify(issued));
    // An ACME CA nothing answers for: Caddy's attempt fails, and its reason is the report's.
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const acme = await startProxy({ PROXY_TLS: 'acme', ACME_CA: `https://127.0.0.1:${port}/directory` });
    await acme.replace({ routes: [route('project:org/new', ['new.apps.test'], hello)] });
    const failed = await eventually(async () => {
      const [one] = (await acme.reconcile()).certificates;
      return one?.state === 'failed' ? one : undefined;
    }, 30_000);
    assert.equal(failed.host, 'new.apps.test');
    assert.equal(failed.notAfter, null);
    assert.match(failed.reason ?? '', new RegExp(`127\\.0\\.0\\.1:${port}.*connection refused`));
  });

  it('holds no routes on a host without a proxy, and says why', async () => {
    const none = new ReverseProxy(
      loadGuardianConfig(
        { host: '127.0.0.1', port: 7999, stateDir: dir, trustFile: join(dir, 'trust'), logLevel: 'silent' },
        {},
      ),
      null,
      new DesiredStateFile<ProxyState>(join(dir, 'none.json'), proxyState),
    );
    await refused(
      none.replace({
        routes: [route('project:org/hello', ['hello.apps.test'], { address: '10.88.0.2', port: 80 })],
      }),
      /this host has no proxy \(the Guardian has no PROXY_ADMIN_SOCKET\)/,
    );
    const empty = await none.replace({ routes: [] });
    assert.deepEqual([empty.routes, empty.drift, empty.certificates, empty.requests], [[], [], [], []]);
  });
});
