import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { escapeRegex } from '@testausdeploy/events';
import { testBrowser } from './support/browser';
import type { ProjectRoutesAnswer } from '../apps/manager/src/routes/queries/get-project-routes.query';
import { CaddyUnderTest } from './support/caddy';
import { GitHost } from './support/git-host';
import { ProxiedSystem } from './support/proxied-system';
import { eventually } from './support/ports';
import { System } from './support/system';
import { verifiesStandardWebhook, WebhookReceiver } from './support/webhook-receiver';

const ORG = 'e2e-routes';
const DOMAIN = 'apps.test';

/** An app that says who it is on port 8080, publishing no host port: only the proxy reaches it. */
function app(says: string): Record<string, string> {
  return {
    'docker-compose.yml': [
      'services:',
      '  web:',
      '    image: testausdeploy/busybox:latest',
      `    command: ["sh", "-c", "mkdir -p /www && echo ${says} > /www/index.html && exec httpd -f -p 8080 -h /www"]`,
      '    stop_grace_period: 1s',
      '',
    ].join('\n'),
  };
}

type Routes = ProjectRoutesAnswer;

/** A regular expression that matches `text` as it is. */
const literally = (text: string) => new RegExp(escapeRegex(text));

/**
 * A project served at its own host name over HTTPS, on the three real apps with a real Caddy (`tls internal`) whose
 * routes the Guardian holds, the Worker's apps network on dockerd (a network and subnet of this run's own), a git
 * host on 127.0.0.1 and the test database: the default host name, a custom one an admin gives, a host name another
 * project has refused, a member who maintains the project refused custom host names but given those under a domain
 * an admin delegated to it, the routes kept across a restart of the app, taken off when it is stopped, and gone
 * with the project.
 */
describe('end to end: an app at its own host name over HTTPS, through the proxy the Guardian holds', () => {
  let proxied: ProxiedSystem;
  let git: GitHost;
  let caddy: CaddyUnderTest;
  let system: System;
  let subnet: string;
  let browser: Browser;
  const suffix = randomBytes(3).toString('hex');
  const repo = `site-${suffix}`;
  const other = `other-${suffix}`;
  const host = `${repo}.${DOMAIN}`;

  const deployed = async (id: string) =>
    eventually(async () => {
      const { body } = await system.call<{ status: string; reason: string | null }>(
        'GET',
        `/deployments/${id}`,
      );
      return body.status === 'requested' ? undefined : body;
    }, 180_000);
  const deploy = async (name: string) => {
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo: name,
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await deployed(accepted.body.deploymentId);
    assert.equal(view.status, 'succeeded', `${view.reason}\n${await system.logs()}`);
    return accepted.body.deploymentId;
  };
  let latest: string;
  /** Once the proxy no longer serves `name` (the TLS handshake fails: it has no certificate or route for it). */
  const unserved = (name: string) =>
    eventually(
      async () =>
        await caddy.get(name).then(
          () => undefined,
          () => true,
        ),
      30_000,
    );
  /** What `name` answers through the proxy, once it answers `expected`. */
  const served = (name: string, expected: string) =>
    eventually(async () => {
      const answer = await caddy.get(name);
      return answer.status === 200 && answer.body === expected ? answer : undefined;
    }, 60_000);

  /** A page of the dashboard, signed in with `token`. */
  const signedIn = async (token: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(system.api);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };
  /** A member who maintains `other`. */
  let maintainerToken: string;

  before(async () => {
    proxied = await ProxiedSystem.start({ org: ORG, domain: DOMAIN, second: 91 });
    ({ git, caddy, system, subnet } = proxied);
    await git.push(ORG, repo, app('first'));
    await git.push(ORG, other, app('other'));
    browser = await testBrowser();
  });

  after(async () => {
    await browser?.close();
    await proxied?.stop(ORG, [repo, other]);
  });

  it('serves the first route at <repo>.<APPS_DOMAIN> over HTTPS with the local CA, with no host port', async () => {
    await deploy(repo);
    const set = await system.call<Routes>('PUT', `/projects/${ORG}/${repo}/routes`, {
      routes: [{ service: 'web', port: 8080 }],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.defaultHost, host);
    assert.deepEqual(set.body.routes[0].servedAt, [host]);
    // The running version was deployed before the route: the next deployment puts the service on the apps network.
    assert.equal(set.body.routes[0].upstream, null);
    await deploy(repo);
    const answer = await served(host, 'first\n');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000');
    // The Guardian reports the certificate with its next sync: issued by the local CA, valid for a while yet.
    const body = await eventually(async () => {
      const { body: routes } = await system.call<Routes>('GET', `/projects/${ORG}/${repo}/routes`);
      return routes.routes[0].certificates[0]?.state === 'issued' ? routes : undefined;
    }, 30_000);
    assert.ok(Date.parse(body.routes[0].certificates[0].notAfter ?? '') > Date.now());
    // The requests the proxy answered for it are counted from its access log, with the next report.
    const counted = await eventually(async () => {
      const { body: routes } = await system.call<Routes>('GET', `/projects/${ORG}/${repo}/routes`);
      return (routes.routes[0].requests?.requests ?? 0) > 0 ? routes.routes[0].requests : undefined;
    }, 30_000);
    assert.equal(counted?.serverErrors, 0);
    assert.equal(body.serving, true);
    assert.ok(
      body.routes[0].upstream?.address.startsWith(subnet.split('.').slice(0, 3).join('.')),
      JSON.stringify(body),
    );
  });

  it('adds a host name an admin gives, and serves the new version of the app at both', async () => {
    const set = await system.call<Routes>('PUT', `/projects/${ORG}/${repo}/routes`, {
      routes: [{ service: 'web', port: 8080, hosts: [`www.${suffix}.example`] }],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.routes[0].servedAt, [host, `www.${suffix}.example`]);
    await git.push(ORG, repo, app('second'));
    latest = await deploy(repo);
    await served(host, 'second\n');
    await served(`www.${suffix}.example`, 'second\n');
  });

  it("refuses another project's host name (409), one in two routes (400), and a maintainer's own host names (403), changing nothing", async () => {
    await deploy(other);
    const taken = await system.call('PUT', `/projects/${ORG}/${other}/routes`, {
      routes: [{ service: 'web', port: 8080, hosts: [`www.${suffix}.example`] }],
    });
    assert.equal(taken.status, 409);
    assert.match(String(taken.body.message), new RegExp(`www\\.${suffix}\\.example is ${ORG}/${repo}'s`));
    const twice = await system.call('PUT', `/projects/${ORG}/${repo}/routes`, {
      routes: [
        { service: 'web', port: 8080, hosts: [`www.${suffix}.example`] },
        { service: 'api', port: 3000, hosts: [host] },
      ],
    });
    assert.equal(twice.status, 400);
    assert.match(
      String(twice.body.message),
      new RegExp(`a host name is in one route only: ${host.replace(/\./g, '\\.')}`),
    );
    const { body: member } = await system.call<{ token: string }>('POST', '/members', {
      name: `mia${suffix}`,
    });
    assert.equal(
      (await system.call('PUT', `/projects/${ORG}/${repo}/members/mia${suffix}`, { role: 'maintainer' }))
        .status,
      200,
    );
    const own = await system.call(
      'PUT',
      `/projects/${ORG}/${repo}/routes`,
      { routes: [{ service: 'web', port: 8080, hosts: [`mine.${suffix}.example`] }] },
      member.token,
    );
    assert.equal(own.status, 403);
    assert.match(String(own.body.message), /only an admin gives, takes or moves a route's own host names/);
    const { body } = await system.call<Routes>(
      'GET',
      `/projects/${ORG}/${repo}/routes`,
      undefined,
      member.token,
    );
    assert.deepEqual(body.routes[0].hosts, [`www.${suffix}.example`]);
    await served(host, 'second\n');
  });

  it("shows the routes on the project's page, where an admin adds one and a maintainer cannot give host names", async () => {
    const admin = await signedIn(system.token);
    await admin.goto(`${system.api}/ui/projects/${ORG}/${other}`);
    const section = admin.getByRole('region', { name: 'Routes' });
    await section.getByText('It answers at no host name yet.').waitFor();
    await section.getByLabel('Service').fill('web');
    await section.getByLabel('Container port').fill('8080');
    await section.getByRole('button', { name: 'Add a route' }).click();
    const otherHost = `${other}.${DOMAIN}`;
    await section.getByRole('link', { name: otherHost }).waitFor();
    await section.getByRole('cell', { name: 'after the next deployment' }).waitFor();
    await deploy(other);
    // The page follows the deployment live: the upstream shows, and the proxy serves the link's address.
    await section
      .getByRole('cell', { name: new RegExp(`^${subnet.split('.').slice(0, 3).join('\\.')}\\.\\d+:8080$`) })
      .waitFor();
    assert.equal(
      await section.getByRole('link', { name: otherHost }).getAttribute('href'),
      `https://${otherHost}/`,
    );
    await served(otherHost, 'other\n');

    const { body: member } = await system.call<{ token: string }>('POST', '/members', {
      name: `max${suffix}`,
    });
    await system.call('PUT', `/projects/${ORG}/${other}/members/max${suffix}`, { role: 'maintainer' });
    maintainerToken = member.token;
    const maintainer = await signedIn(member.token);
    await maintainer.goto(`${system.api}/ui/projects/${ORG}/${other}`);
    const theirs = maintainer.getByRole('region', { name: 'Routes' });
    await theirs.getByRole('link', { name: otherHost }).waitFor();
    assert.equal(await theirs.getByLabel('Service').count(), 1);
    assert.equal(
      await theirs.getByLabel('Host names (admins)').count(),
      0,
      'a maintainer was offered host names',
    );
    await admin.context().close();
    await maintainer.context().close();
  });

  it("gives a project's maintainers host names under a domain an admin delegated to it, and refuses what is another's", async () => {
    const team = `team-${suffix}.example`;
    const own = `d${suffix}.example`;
    const domains = (name: string, list: string[], token = system.token) =>
      system.call<Routes>('PUT', `/projects/${ORG}/${name}/domains`, { domains: list }, token);
    // Only admins delegate; a domain is one project's, and the names under it too.
    assert.equal((await domains(other, [own], maintainerToken)).status, 403);
    const delegated = await domains(repo, [team]);
    assert.equal(delegated.status, 200, JSON.stringify(delegated.body));
    assert.deepEqual(delegated.body.domains, [team]);
    const refusals: [string[], number, RegExp][] = [
      [[`www.${team}`], 409, literally(`www.${team} meets ${team}, delegated to ${ORG}/${repo}`)],
      [
        [`team.${DOMAIN}`],
        409,
        /meets the apps domain apps\.test, whose names are the projects' default ones/,
      ],
      [
        [`${suffix}.example`],
        409,
        literally(`another project answers at www.${suffix}.example (${ORG}/${repo})`),
      ],
      [['Not..a.domain'], 400, /a domain in lower case/],
    ];
    for (const [list, status, reason] of refusals) {
      const refused = await domains(other, list);
      assert.equal(refused.status, status, JSON.stringify(refused.body));
      assert.match(String((refused.body as unknown as { message: string }).message), reason);
    }
    const underAnother = await system.call('PUT', `/projects/${ORG}/${other}/routes`, {
      routes: [{ service: 'web', port: 8080, hosts: [`a.${team}`] }],
    });
    assert.equal(underAnother.status, 409, JSON.stringify(underAnother.body));
    assert.match(
      String(underAnother.body.message),
      literally(`a.${team} is under ${team}, delegated to ${ORG}/${repo}`),
    );

    // An admin delegates a domain on the project's page; its maintainer then gives a route a host name under it.
    const admin = await signedIn(system.token);
    await admin.goto(`${system.api}/ui/projects/${ORG}/${other}`);
    const section = admin.getByRole('region', { name: 'Routes' });
    await section.getByLabel('Delegated domains').fill(own);
    await section.getByRole('button', { name: 'Delegate domains' }).click();
    await section.getByText(`Delegated to this project: ${own}.`).waitFor();
    await admin.context().close();

    const maintainer = await signedIn(maintainerToken);
    await maintainer.goto(`${system.api}/ui/projects/${ORG}/${other}`);
    const theirs = maintainer.getByRole('region', { name: 'Routes' });
    await theirs.getByRole('button', { name: 'Remove the route to web' }).click();
    await theirs.getByText('It answers at no host name yet.').waitFor();
    await theirs.getByLabel('Service').fill('web');
    await theirs.getByLabel('Container port').fill('8080');
    await theirs.getByLabel(`Host names (under ${own})`).fill(`www.${own}`);
    await theirs.getByRole('button', { name: 'Add a route' }).click();
    await theirs.getByRole('link', { name: `www.${own}` }).waitFor();
    await maintainer.context().close();
    await served(`www.${own}`, 'other\n');
    // Each new name is a certificate the CA counts: a maintainer adds at most 20 a week (www. was the first).
    const many = (from: number) => Array.from({ length: 10 }, (_, i) => `n${from + i}.${own}`);
    const flood = await system.call(
      'PUT',
      `/projects/${ORG}/${other}/routes`,
      {
        routes: [
          { service: 'web', port: 8080, hosts: [`www.${own}`, ...many(0)] },
          { service: 'api', port: 3000, hosts: many(10) },
        ],
      },
      maintainerToken,
    );
    assert.equal(flood.status, 409, JSON.stringify(flood.body));
    assert.match(
      String(flood.body.message),
      /at most 20 new host names a week .*, and 1 came in the last 7 days: ask an admin/,
    );
    // Outside the delegated domain, a maintainer's host names are still refused, with the domain named.
    const outside = await system.call(
      'PUT',
      `/projects/${ORG}/${other}/routes`,
      { routes: [{ service: 'web', port: 8080, hosts: [`www.${own}`, `x.${suffix}.example`] }] },
      maintainerToken,
    );
    assert.equal(outside.status, 403);
    assert.match(String(outside.body.message), literally(`host names, outside ${own};`));
  });

  it('keeps serving across a restart of the app, stops serving when it is stopped, and again when started', async () => {
    const act = async (action: string) =>
      assert.equal((await system.call('POST', `/deployments/${latest}/${action}`)).status, 200, action);
    await act('restart');
    await served(host, 'second\n');
    await act('stop');
    await unserved(host);
    await act('start');
    await served(host, 'second\n');
  });

  it('takes the routes off the proxy when the project is removed', async () => {
    const removed = await system.call('DELETE', `/projects/${ORG}/${repo}`, { confirm: `${ORG}/${repo}` });
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    await unserved(host);
    await unserved(`www.${suffix}.example`);
    // Its delegated domain went with it: another project may have it now.
    const freed = await system.call('PUT', `/projects/${ORG}/${other}/domains`, {
      domains: [`d${suffix}.example`, `team-${suffix}.example`],
    });
    assert.equal(freed.status, 200, JSON.stringify(freed.body));
  });
  it("tells the project's channel when the proxy cannot get a certificate, and shows why", async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const added = await system.call('POST', '/notifications/channels', {
        name: 'certificates',
        kind: 'webhook',
        url: receiver.url('/certificates'),
        topics: ['certificate.failed'],
        project: { org: ORG, repo: other },
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      // An ACME CA nothing answers for, in place of the local one.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));
      await system.restart('guardian', { PROXY_TLS: 'acme', ACME_CA: `https://127.0.0.1:${port}/directory` });
      const failing = `fail.${suffix}.example`;
      const set = await system.call('PUT', `/projects/${ORG}/${other}/routes`, {
        routes: [{ service: 'web', port: 8080, hosts: [failing] }],
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const shown = await eventually(async () => {
        const { body } = await system.call<Routes>('GET', `/projects/${ORG}/${other}/routes`);
        const certificate = body.routes[0].certificates.find(({ host }) => host === failing);
        return certificate?.state === 'failed' ? certificate : undefined;
      }, 60_000);
      assert.match(shown.reason ?? '', new RegExp(`127\\.0\\.0\\.1:${port}.*connection refused`));
      const [told] = await eventually(async () => {
        const accepted = receiver.accepted('/certificates');
        return accepted.length > 0 ? accepted : undefined;
      }, 30_000);
      assert.equal(told.json.type, 'certificate.failed');
      assert.match(
        JSON.stringify(told.json),
        new RegExp(`no certificate for ${failing.replace(/\./g, '\\.')}`),
      );
      assert.ok(verifiesStandardWebhook(told, String(added.body.signingSecret)));
      // Once per streak: the syncs that follow, every 2 s, tell nobody again.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      assert.equal(receiver.accepted('/certificates').length, 1);
    } finally {
      await receiver.stop();
    }
  });
});
