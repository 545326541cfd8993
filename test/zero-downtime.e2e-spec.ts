import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import type { Browser } from 'playwright-core';
import { slotNames } from '../apps/worker/src/deploy/handover/project-slots';
import { testBrowser } from './support/browser';
import { CaddyUnderTest } from './support/caddy';
import { GitHost } from './support/git-host';
import { ProxiedSystem } from './support/proxied-system';
import { assertNoneFailed, HttpsLoad, LoadAnswer, versionsInOrder } from './support/https-load';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';

const ORG = 'e2e-handover';
const DOMAIN = 'apps.test';
/** The load test's size: at least this many requests over a redeploy (issue 19 asks for 2,000). */
const REQUESTS = 2_000;
const LOOPS = 4;

/**
 * An app that answers its version at `/`, and at `/first` the version that first ran on the project's named volume
 * (so a version that starts beside another shows it shares the project's data). `broken` exits at once instead.
 */
function app(version: string, extra: { broken?: boolean; publish?: number } = {}): Record<string, string> {
  const run = extra.broken
    ? 'exit 3'
    : `mkdir -p /www && ([ -f /data/first ] || echo ${version} > /data/first) && cp /data/first /www/first && ` +
      `echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`;
  return {
    'docker-compose.yml': [
      'services:',
      '  web:',
      '    image: testausdeploy/busybox:latest',
      `    command: ["sh", "-c", "${run}"]`,
      '    volumes: ["data:/data"]',
      '    stop_grace_period: 1s',
      ...(extra.publish ? [`    ports: ["127.0.0.1:${extra.publish}:8080"]`] : []),
      'volumes:',
      '  data:',
      // Both versions may write it: they share the project's data.
      '    labels: {org.testausdeploy.exclusive: "false"}',
      '',
    ].join('\n'),
  };
}

/**
 * Redeploys without downtime, on the three real apps with a real Caddy (`tls internal`) the Guardian holds, the
 * Worker's apps network on dockerd, a git host on 127.0.0.1 and the test database: a load loop of HTTPS requests
 * to the app's host name through the proxy sees no failure over a redeploy and each version's answers in order,
 * sees nothing of a new version that never becomes healthy, and a project that cannot run twice is redeployed in
 * place, its deployment saying why.
 */
describe('end to end: redeploys without downtime behind the proxy', () => {
  let proxied: ProxiedSystem;
  let git: GitHost;
  let caddy: CaddyUnderTest;
  let system: System;
  let browser: Browser;
  const docker = new Dockerode();
  const repo = `live-${randomBytes(3).toString('hex')}`;
  const host = `${repo}.${DOMAIN}`;

  /** Pushes `version` (if given) and deploys the branch's head. */
  const deploy = async (version?: Record<string, string>) => ended(await requestDeployment(version));
  const requestDeployment = async (version?: Record<string, string>) => {
    if (version) await git.push(ORG, repo, version);
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', { org: ORG, repo });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    return accepted.body.deploymentId;
  };
  const logOf = async (id: string) =>
    (await system.call<{ lines: string[]; running: boolean }>('GET', `/deployments/${id}/logs`)).body;
  /** Ended, with its log closed: a zero-downtime redeploy's log ends when the old version is retired. */
  const ended = (id: string) =>
    eventually(async () => {
      const { body: view } = await system.call<{
        status: string;
        reason: string | null;
        handover: { mode: string; reason?: string } | null;
      }>('GET', `/deployments/${id}`);
      const log = await logOf(id);
      return view.status === 'requested' || log.running ? undefined : { ...view, id, lines: log.lines };
    }, 180_000);
  const served = (expected: string) =>
    eventually(async () => {
      const answer = await caddy.get(host);
      return answer.status === 200 && answer.body === expected ? answer : undefined;
    }, 60_000);
  /** The zero-downtime redeploy's deployment, whose page the last test opens. */
  let beside: string;
  const containersOf = async (slot: string) =>
    docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${slot}`] } });
  const load = async () =>
    new HttpsLoad({ host, port: caddy.httpsPort, ca: await caddy.rootCertificate() }, LOOPS);
  const tally = (answers: LoadAnswer[]) =>
    answers.reduce<Record<string, number>>((counts, { body }) => {
      if (body !== undefined) counts[body] = (counts[body] ?? 0) + 1;
      return counts;
    }, {});

  before(async () => {
    proxied = await ProxiedSystem.start({ org: ORG, domain: DOMAIN, second: 92 });
    ({ git, caddy, system } = proxied);
    const first = await deploy(app('v1'));
    assert.equal(first.status, 'succeeded', `${first.reason}\n${await system.logs()}`);
    const set = await system.call('PUT', `/projects/${ORG}/${repo}/routes`, {
      routes: [{ service: 'web', port: 8080 }],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    // The version running has no route yet: the next one starts beside it, on the apps network.
    const routed = await deploy();
    assert.equal(routed.status, 'succeeded', `${routed.reason}\n${await system.logs()}`);
    await served('v1\n');
    browser = await testBrowser();
  });

  after(async () => {
    await browser?.close();
    await proxied?.stop(ORG, [repo]);
  });

  it('counts the requests of each ended hour per project in the stats, once, those before a Guardian restart too', async () => {
    // Requests the proxy logged two hours ago, in its access log's own format: five, one of them answered 502. A
    // Guardian started since reads them back for the hours it counts.
    const earlier = Date.now() - 2 * 60 * 60_000;
    const logged = [200, 200, 502, 200, 304].map((status, i) =>
      JSON.stringify({
        level: 'info',
        ts: (earlier + i) / 1000,
        logger: 'http.log.access.apps',
        request: { host },
        status,
      }),
    );
    await appendFile(caddy.accessLog, `${logged.join('\n')}\n`);
    await system.restart('guardian');
    const counted = await eventually(async () => {
      const { body } = await system.call<{ traffic: { org: string; repo: string; requests: number }[] }>(
        'GET',
        '/stats',
      );
      return body.traffic.find((one) => one.repo === repo);
    }, 60_000);
    assert.deepEqual(counted, { org: ORG, repo, requests: 5, serverErrors: 1, errorRate: 0.2 });
    // The Guardian reports the hour at every sync (every 2 s here): it is recorded once.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const { body } = await system.call<{ traffic: { repo: string; requests: number }[] }>('GET', '/stats');
    assert.equal(body.traffic.find((one) => one.repo === repo)?.requests, 5);
  });

  it(`answers ${REQUESTS} HTTPS requests over a redeploy, each client seeing v1 then v2, none cut or refused by the app`, async () => {
    const loop = await load();
    await loop.reached(100);
    const second = await deploy(app('v2'));
    assert.equal(second.status, 'succeeded', `${second.reason}\n${await system.logs()}`);
    const log = second.lines.join('\n');
    assert.match(log, /zero-downtime redeploy: the new version starts beside the running one/);
    assert.match(log, /the proxy sends requests to the new version/);
    assert.match(log, /is retired: 1 containers removed/);
    assert.deepEqual(second.handover, { mode: 'beside' });
    beside = second.id;
    const afterSwitch = loop.answers.length;
    await loop.reached(Math.max(REQUESTS, afterSwitch + 200));
    const answers = await loop.stop();

    // Every request was answered 200, by one version or the other: no connection reset at the switch, no 502 from
    // an upstream gone, no request cut.
    assertNoneFailed(answers);
    const order = versionsInOrder(answers, ['v1\n', 'v2\n']);
    assert.ok(order.ok, JSON.stringify(order.seen));
    const counts = tally(answers);
    assert.ok(counts['v1\n'] > 0 && counts['v2\n'] > 0, JSON.stringify(counts));
    // The new version shares the project's named volume: the first version's mark is there.
    assert.equal((await caddy.get(host, '/first')).body, 'v1\n');
    // The old version's slot is empty: only the version that serves runs.
    const slots = await Promise.all(slotNames(ORG, repo).map(containersOf));
    assert.deepEqual(
      slots.map((containers) => containers.length).sort(),
      [0, 1],
      'one slot runs the new version, the other is empty',
    );
  });

  it('keeps serving the running version, with no failure, when the new one never becomes healthy', async () => {
    const loop = await load();
    await loop.reached(100);
    const broken = await deploy(app('v3', { broken: true }));
    assert.equal(broken.status, 'failed');
    assert.match(broken.reason ?? '', /exited with code 3.*the version running before keeps serving/);
    await loop.reached(loop.answers.length + 300);
    const answers = await loop.stop();
    assertNoneFailed(answers);
    assert.deepEqual(Object.keys(tally(answers)), ['v2\n']);
    const slots = await Promise.all(slotNames(ORG, repo).map(containersOf));
    assert.deepEqual(slots.map((containers) => containers.length).sort(), [0, 1]);
    // Nothing was replaced, so nothing is rolled back.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { body: deployments } = await system.call<{ repo: string; rollbackOf: string | null }[]>(
      'GET',
      '/deployments',
    );
    assert.deepEqual(
      deployments.filter((view) => view.repo === repo && view.rollbackOf !== null),
      [],
      'a rollback was started',
    );
  });

  it('redeploys in place a version that publishes a host port, and says why', async () => {
    const port = await freePort();
    const published = await deploy(app('v4', { publish: port }));
    assert.equal(published.status, 'succeeded', published.reason ?? '');
    assert.ok(
      published.lines.some((line) =>
        line.includes(
          `ordinary redeploy, in place: the new version cannot run beside the old one: service web publishes host port ${port},`,
        ),
      ),
      published.lines.join('\n'),
    );
    await served('v4\n');
    assert.match(published.handover?.reason ?? '', /service web publishes host port/);
    // The deployment's page says how each version came.
    const page = await (await browser.newContext()).newPage();
    await page.goto(system.api);
    await page.getByLabel('API token').fill(system.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${system.api}/ui/deployments/${published.id}`);
    // In the deployment's facts (the build log below says it too).
    await page
      .getByRole('region', { name: 'Deployment' })
      .getByText(
        `in place: the new version cannot run beside the old one: service web publishes host port ${port}`,
      )
      .waitFor();
    await page.goto(`${system.api}/ui/deployments/${beside}`);
    await page.getByText('beside the running version, then switched over: no request dropped').waitFor();
    // The overview has each project's requests of the last day.
    await page.goto(`${system.api}/ui/`);
    const traffic = page.getByRole('region', { name: 'Requests through the proxy, last 24 hours' });
    await traffic.getByRole('row', { name: `${ORG}/${repo} 5 1 20 %` }).waitFor();
    await page.context().close();
  });

  it('keeps the version the proxy serves when the Manager crashed during a redeploy that then ended on the Worker', async () => {
    const [own] = slotNames(ORG, repo);
    const record = join(system.dir, 'worker', 'projects', `${own}.live`);
    const recorded = () => readFile(record, 'utf8').catch(() => `${own}\n`);
    const before = await recorded();
    const loop = await load();
    const id = await requestDeployment(app('v5'));
    await eventually(
      async () => (await logOf(id)).lines.some((line) => line.includes('checked out')) || undefined,
    );
    // The Manager dies while the Worker starts v5 beside v4, and is back only once the Worker has moved its record
    // to v5's slot: the Manager never heard of it, so the proxy still sends requests to v4. Back, the Manager runs
    // the unfinished deployment again, telling the Worker where the proxy sends requests.
    await system.crash('manager', () =>
      eventually(async () => ((await recorded()) !== before ? true : undefined), 120_000),
    );
    const rerun = await ended(id);
    assert.equal(rerun.status, 'succeeded', rerun.reason ?? '');
    assert.ok(
      rerun.lines.some((line) =>
        /the proxy sends requests to \S+, not to \S+ as this Worker had it/.test(line),
      ),
      rerun.lines.join('\n'),
    );
    assert.deepEqual(rerun.handover, { mode: 'beside' });
    await loop.reached(loop.answers.length + 300);
    const answers = await loop.stop();
    assertNoneFailed(answers);
    const order = versionsInOrder(answers, ['v4\n', 'v5\n']);
    assert.ok(order.ok, JSON.stringify(order.seen));
    const slots = await Promise.all(slotNames(ORG, repo).map(containersOf));
    assert.deepEqual(slots.map((containers) => containers.length).sort(), [0, 1]);
  });

  it('takes both compose projects down, and their routes off the proxy, when the project is removed', async () => {
    const removed = await system.call('DELETE', `/projects/${ORG}/${repo}`, { confirm: `${ORG}/${repo}` });
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    const slots = await Promise.all(slotNames(ORG, repo).map(containersOf));
    assert.deepEqual(
      slots.map((containers) => containers.length),
      [0, 0],
    );
    const volumes = await docker.listVolumes({ filters: { name: [`td_${ORG}_${repo}`] } });
    assert.deepEqual(volumes.Volumes ?? [], []);
  });
});
