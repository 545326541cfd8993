import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, testBrowser } from './support/browser';
import { GitHost } from './support/git-host';
import { GitHubStandIn } from './support/github-stand-in';
import { OidcTestProvider } from './support/oidc-test-provider';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';
import { servedPage, webSite } from './support/web-site';
import { verifiesStandardWebhook, WebhookReceiver } from './support/webhook-receiver';

const ORG = 'dash-org';
const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
/** Build output that would run if the page drew it as HTML: it must stay text. */
const HOSTILE = `<script>window.pwned='script'</script><img src=x onerror="window.pwned='img'">`;
const DEPLOY_TIMEOUT = 180_000;

describe('the dashboard in Chromium, against the real Manager, Worker and Guardian', () => {
  let git: GitHost;
  let github: GitHubStandIn;
  let oidc: OidcTestProvider;
  let secrets: string;
  let system: System;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const repo = `dash-${randomBytes(3).toString('hex')}`;
  let port: number;
  let site: Record<string, string>;
  let deploymentId: string;
  /** Takes the notifications of the channel the dashboard adds, and keeps them until the end. */
  let receiver: WebhookReceiver;
  let channelId: string;

  before(async () => {
    git = await GitHost.start();
    github = await GitHubStandIn.start('Iv1.dashboard', 'dashboard-stand-in-secret-0123456789');
    secrets = await mkdtemp(join(tmpdir(), 'dashboard-'));
    await writeFile(join(secrets, 'github'), github.clientSecret, { mode: 0o600 });
    // A real OpenID Connect provider on 127.0.0.1, told the Manager's address before the Manager starts.
    const managerPort = await freePort();
    const client = {
      clientId: 'dashboard',
      clientSecret: 'dashboard-oidc-secret-0123456789',
      redirectUri: `http://127.0.0.1:${managerPort}/session/oidc/callback`,
    };
    oidc = await OidcTestProvider.start(client, await freePort());
    await writeFile(join(secrets, 'oidc'), client.clientSecret, { mode: 0o600 });
    // The Guardian reads its table back every second, so the drift it restores shows soon.
    system = await System.start({
      allowedOrgs: ORG,
      gitBaseUrl: git.baseUrl,
      apiPort: managerPort,
      env: {
        guardian: { RECONCILE_INTERVAL_MS: '1000' },
        manager: {
          GITHUB_CLIENT_ID: github.clientId,
          GITHUB_CLIENT_SECRET_FILE: join(secrets, 'github'),
          GITHUB_URL: github.url,
          GITHUB_API_URL: github.url,
          OIDC_ISSUER: oidc.issuer,
          OIDC_CLIENT_ID: client.clientId,
          OIDC_CLIENT_SECRET_FILE: join(secrets, 'oidc'),
          OIDC_NAME: 'Authentik',
          NOTIFICATION_RETRY_MS: '500',
        },
      },
    });
    github.redirectUri = `${system.api}/session/github/callback`;
    browser = await testBrowser();
    admin = await browser.newContext();
    page = await admin.newPage();
    port = await freePort();
    site = webSite(port, `hello from ${repo}`);
    site['web/Dockerfile'] = site['web/Dockerfile'].replace(
      'COPY index.html',
      // The repository's name makes the step new to Docker's build cache, so its output is printed every run.
      `RUN echo '${HOSTILE.replace(/'/g, `'"'"'`)}' ${repo}\nCOPY index.html`,
    );
    // httpd -v prints a line per request: output for the page to follow.
    site['web/Dockerfile'] = site['web/Dockerfile'].replace('"httpd", "-f",', '"httpd", "-f", "-v",');
    await git.push(ORG, repo, site);
    await mkdir(SCREENSHOTS, { recursive: true });
    receiver = await WebhookReceiver.start();
  });

  after(async () => {
    await browser?.close();
    await system?.composeDown(ORG, repo);
    await system?.stop();
    await git?.stop();
    await github?.stop();
    await oidc?.stop();
    await receiver?.stop();
    await rm(secrets, { recursive: true, force: true });
  });

  const ui = (path = '/') => `${system.api}/ui${path}`;

  async function signIn(on: Page, token: string): Promise<void> {
    await on.goto(system.api);
    await on.getByLabel('API token').fill(token);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await on.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('leads from / to the sign-in page, with the security headers, and refuses a wrong token with its reason', async () => {
    const answer = await page.goto(system.api);
    assert.equal(new URL(page.url()).pathname, '/ui/');
    const headers = answer!.headers();
    assert.match(headers['content-security-policy'], /script-src 'self';/);
    assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
    assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Refused (401)' }).waitFor();
    assert.deepEqual(await admin.cookies(), [], 'no session cookie for a wrong token');
    assert.equal(
      await page.evaluate("JSON.stringify(localStorage) + location.href.includes('token')"),
      '{}false',
    );
  });

  it('signs in with the admin token into an HttpOnly SameSite=Strict cookie, never into storage', async () => {
    await signIn(page, system.token);
    const [cookie] = await admin.cookies();
    assert.equal(cookie.name, 'td_session');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.notEqual(cookie.value, system.token);
    assert.equal(
      await page.evaluate('document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)'),
      '{}{}',
    );
  });

  it('deploys from the form and shows the build log, hostile output as text, until succeeded', async () => {
    await page.getByRole('link', { name: 'Deployments', exact: true }).click();
    await page.getByRole('link', { name: 'New deployment' }).click();
    await page.getByLabel('Repository', { exact: true }).fill(repo);
    await page.getByLabel('Compose file', { exact: true }).fill('docker-compose.yml');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/ui\/deployments\/[0-9a-f-]{36}$/);
    deploymentId = page.url().split('/').at(-1)!;
    const log = page.locator('pre[aria-label="Build log"]');
    await page.locator('.status', { hasText: 'succeeded' }).first().waitFor({ timeout: DEPLOY_TIMEOUT });
    await eventually(async () => ((await log.textContent())?.includes(HOSTILE) ? true : undefined), 10_000);
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.equal(await page.locator('main img').count(), 0, 'the <img> of the log is not an element');
    assert.equal(await page.locator('main script').count(), 0);
    assert.match((await servedPage(port)) ?? '', new RegExp(`hello from ${repo}`));
    await page.getByRole('heading', { name: 'Containers' }).waitFor();
  });

  it('redeploys a new commit and rolls back to the first attempt from the page, the served page following', async () => {
    const first = (await system.call<{ commit: string }>('GET', `/deployments/${deploymentId}`)).body.commit;
    await git.push(ORG, repo, { ...site, 'web/index.html': `hello again from ${repo}` });
    const summary = page.getByRole('region', { name: 'Deployment', exact: true });
    const attemptSucceeded = async (before: string) => {
      await page.waitForURL(
        (url) => /\/ui\/deployments\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(before),
      );
      await summary.locator('.status', { hasText: 'succeeded' }).waitFor({ timeout: DEPLOY_TIMEOUT });
      return page.url().split('/').at(-1)!;
    };
    const served = (text: string) =>
      eventually(async () => ((await servedPage(port))?.includes(text) ? true : undefined), 30_000);

    await summary.getByRole('button', { name: 'Redeploy' }).click();
    const redeployed = await attemptSucceeded(deploymentId);
    await served(`hello again from ${repo}`);
    const attempts = page.getByRole('region', { name: 'Attempts of this source' });
    await attempts.getByRole('button', { name: `Roll back to ${first.slice(0, 12)}` }).click();
    await attemptSucceeded(redeployed);
    await summary.locator('dd', { hasText: deploymentId }).waitFor();
    assert.equal(await summary.locator('dd.mono', { hasText: first }).count(), 1, 'the first commit again');
    await served(`hello from ${repo}`);
  });

  it('follows the containers’ output live on the deployment page, all services or one', async () => {
    const asked: string[] = [];
    const ask = (request: { url: () => string }) =>
      request.url().includes('/containers/logs') && asked.push(new URL(request.url()).search);
    page.on('request', ask);
    await page.reload();
    const output = page.getByRole('region', { name: 'Container output' });
    await output.getByRole('status').filter({ hasText: 'Following live.' }).waitFor();
    const log = output.locator('pre[aria-label="Container output"]');
    const misses = async () =>
      ((await log.textContent()) ?? '').match(/^web \| .*response:404$/gm)?.length ?? 0;
    const missed = async (count: number) =>
      eventually(async () => ((await misses()) === count ? true : undefined), 15_000);
    await missed(0);
    await fetch(`http://127.0.0.1:${port}/not-here`);
    await missed(1);
    await output.getByLabel('Service').selectOption('web');
    await missed(1); // the tail again, for that service
    await fetch(`http://127.0.0.1:${port}/nor-here`);
    await missed(2);
    page.off('request', ask);
    // Followed, not polled: one request for all services, one for the service picked.
    assert.deepEqual(asked, ['?follow=true', '?service=web&follow=true']);
  });

  it('shows events on the overview as they happen, tells when the stream drops, and resumes without a gap', async () => {
    await page.goto(ui('/'));
    const latest = page.getByRole('region', { name: 'Latest events' });
    await latest.locator('tbody tr').first().waitFor();
    const rowOf = async (name: string) => {
      await system.call('POST', '/members', { name });
      // No reload and no polling: the row comes from the live stream.
      await latest
        .locator('tbody tr', { hasText: 'MemberAdded' })
        .filter({ hasText: `member-${name}` })
        .waitFor();
    };
    await rowOf('live-one');
    const notice = page.getByRole('status').filter({ hasText: 'Live updates are cut off' });
    const noticed = notice.waitFor({ timeout: 30_000 });
    await system.restart('manager');
    await noticed;
    await eventually(
      async () => ((await system.call('GET', '/session')).status === 200 ? true : undefined),
      30_000,
    );
    await rowOf('live-two');
    await notice.waitFor({ state: 'hidden' });
    const positions = await latest.locator('tbody tr td:first-child').allTextContents();
    assert.equal(new Set(positions).size, positions.length, 'each event once');
  });

  it("shows the API's refusal with its reason: a repository name that is not one", async () => {
    await page.goto(ui('/deployments/new'));
    await page.getByLabel('Repository', { exact: true }).fill('../escape');
    await page.getByRole('button', { name: 'Deploy' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /Refused \(400\).*repo/);
  });

  it('lets an admin add a member, showing the token once, and the member sees no admin page while the API refuses them', async () => {
    await page.goto(ui('/admin/members'));
    await page.getByLabel('Name').fill('mia');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const token = (await page.getByLabel('Token of mia').textContent())!;
    assert.match(token, /^\S{20,}$/);
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByLabel('Token of mia').count(), 0, 'the token is gone once dismissed');

    const member = await browser.newContext();
    const memberPage = await member.newPage();
    await signIn(memberPage, token);
    assert.equal(new URL(memberPage.url()).pathname, '/ui/projects');
    await memberPage.getByText('You hold no role on a project yet').waitFor();
    const offered = await memberPage
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link')
      .allTextContents();
    assert.deepEqual(offered, ['Projects', 'Deployments', 'Containers', 'Audit', 'Notifications', 'Tokens']);
    await memberPage.goto(ui('/admin/members'));
    await memberPage.getByRole('heading', { name: 'This page is for admins.' }).waitFor();
    // The API is the authority: the member's cookie, from the dashboard's own origin, is refused admin routes,
    // and shown no deployment of a project they hold no role on.
    const asMember = memberPage.request;
    assert.equal((await asMember.get(`${system.api}/members`)).status(), 403);
    assert.deepEqual(await (await asMember.get(`${system.api}/deployments`)).json(), []);
    assert.equal((await asMember.get(`${system.api}/deployments/${deploymentId}`)).status(), 404);
    const deploy = await asMember.post(`${system.api}/deployments`, {
      headers: { Origin: system.api },
      data: { org: ORG, repo, branch: 'main', composePath: 'docker-compose.yml' },
    });
    assert.equal(deploy.status(), 403);
    // A change with the cookie from another site's page is refused before it is judged.
    const foreign = await asMember.post(`${system.api}/containers`, {
      headers: { Origin: 'https://evil.example' },
      data: {},
    });
    assert.equal(foreign.status(), 403);
    await memberPage.getByRole('button', { name: 'Sign out' }).click();
    await memberPage.getByLabel('API token').waitFor();
    assert.equal((await asMember.get(`${system.api}/containers`)).status(), 401, 'signed out on the server');
    await member.close();
  });

  it('gives a member the project an admin grants them on its page: a viewer watches, a maintainer acts', async () => {
    const { body } = await system.call<{ token: string }>('POST', '/members', { name: 'pia' });
    await page.goto(ui(`/projects/${ORG}/${repo}`));
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByLabel('Member', { exact: true }).fill('pia');
    await members.getByRole('button', { name: 'Grant' }).click();
    await members.getByRole('cell', { name: 'viewer', exact: true }).waitFor();

    const member = await browser.newContext();
    const memberPage = await member.newPage();
    await signIn(memberPage, body.token);
    const project = memberPage.getByRole('link', { name: `${ORG}/${repo}` });
    await project.waitFor();
    assert.equal(
      await memberPage.getByRole('row').filter({ has: project }).getByRole('cell').nth(1).textContent(),
      'viewer',
    );
    await project.click();
    await memberPage.getByRole('heading', { name: `${ORG}/${repo}` }).waitFor();
    await memberPage.getByRole('region', { name: 'Deployed' }).getByRole('link').click();
    await memberPage.getByRole('region', { name: 'Build log' }).waitFor();
    await memberPage.getByRole('region', { name: 'Attempts of this source' }).getByRole('table').waitFor();
    assert.equal(
      await memberPage.getByRole('button', { name: 'Redeploy' }).count(),
      0,
      'a viewer is offered no action',
    );
    assert.equal(await memberPage.getByRole('region', { name: 'Remove' }).count(), 0);

    await members.getByLabel('Member', { exact: true }).fill('pia');
    await members.getByLabel('Project role').selectOption('maintainer');
    await members.getByRole('button', { name: 'Grant' }).click();
    await members.getByRole('cell', { name: 'maintainer', exact: true }).waitFor();
    await memberPage.reload();
    await memberPage.getByRole('button', { name: 'Redeploy' }).waitFor();
    await memberPage.getByRole('region', { name: 'Remove' }).waitFor();

    await members.getByRole('button', { name: 'Revoke pia' }).click();
    await members.getByText('Nobody holds a role on it').waitFor();
    await memberPage.goto(ui('/projects'));
    await memberPage.getByText('You hold no role on a project yet').waitFor();
    await member.close();
  });

  it('lets a member make a read-only token shown once, see its last use, and revoke it', async () => {
    const { body } = await system.call<{ token: string }>('POST', '/members', { name: 'tia' });
    const member = await browser.newContext();
    const memberPage = await member.newPage();
    await signIn(memberPage, body.token);
    await memberPage.goto(ui('/tokens'));
    await memberPage.getByLabel('Token name').fill('ci read');
    await memberPage.getByLabel('Scope').selectOption('read');
    await memberPage.getByLabel('Days it lives').fill('30');
    await memberPage.getByRole('button', { name: 'Make', exact: true }).click();
    const token = (await memberPage.getByLabel('Token of ci read').textContent())!;
    await memberPage.getByRole('button', { name: 'Done' }).click();
    assert.equal(await memberPage.getByLabel('Token of ci read').count(), 0, 'shown once');
    const row = memberPage.getByRole('row').filter({ hasText: 'ci read' });
    await row.getByRole('cell', { name: 'never' }).waitFor();
    assert.equal(await row.getByRole('cell').nth(1).textContent(), 'read');

    assert.equal((await system.call('GET', '/containers', undefined, token)).status, 200);
    const change = await system.call<{ message: string }>('POST', '/containers', {}, token);
    assert.deepEqual(
      [change.status, change.body.message],
      [403, 'this token is read-only: make the change with a full token'],
    );
    await eventually(async () => {
      await memberPage.reload();
      return (await row.getByRole('cell', { name: 'never' }).count()) === 0 ? true : undefined;
    }, 10_000);

    await row.getByRole('button', { name: 'Revoke ci read' }).click();
    await memberPage.getByText('No tokens yet').waitFor();
    assert.equal((await system.call('GET', '/containers', undefined, token)).status, 401);
    await member.close();
  });

  it("adds a project's signed webhook from the Notifications page, shows its secret once, and logs the test message delivered after a refusal", async () => {
    const down = await WebhookReceiver.start();
    try {
      await page.goto(ui('/notifications'));
      await page.getByText('No channels yet').waitFor();
      const form = page.getByRole('region', { name: 'Add a channel' });
      await form.getByLabel('Channel name').fill('team hook');
      await form.getByLabel('Kind').selectOption('webhook');
      await form.getByLabel('For').selectOption(`${ORG}/${repo}`);
      await form.getByLabel('Webhook URL').fill('https://example.com/hook');
      await form.getByRole('button', { name: 'Add', exact: true }).click();
      // Refused with its reason (these tests allow 127.0.0.1 only), nothing added.
      await form.getByRole('alert').getByText('sends notifications only to 127.0.0.1').waitFor();
      await form.getByLabel('Webhook URL').fill(receiver.url('/team'));
      await form.getByRole('button', { name: 'Add', exact: true }).click();
      const secret = (await page.getByLabel('Token of team hook').textContent())!;
      assert.match(secret, /^whsec_/);
      await page.getByRole('button', { name: 'Done' }).click();
      assert.equal(await page.getByLabel('Token of team hook').count(), 0, 'shown once');
      const row = page.getByRole('row').filter({ hasText: 'team hook' });
      assert.equal(await row.getByRole('cell').nth(1).textContent(), `${ORG}/${repo}`);
      assert.equal(await row.getByRole('cell').nth(3).textContent(), new URL(receiver.url('/')).host);

      receiver.failing = 1;
      await row.getByRole('link', { name: 'team hook' }).click();
      channelId = page.url().split('/').at(-1)!;
      await page.getByRole('button', { name: 'Send a test message' }).click();
      const log = page.getByRole('region', { name: 'Deliveries' });
      await log.getByRole('cell', { name: 'delivered', exact: true }).waitFor({ timeout: 30_000 });
      assert.equal(await log.getByRole('row').nth(1).getByRole('cell').nth(3).textContent(), '2');
      const [message] = receiver.accepted('/team');
      assert.ok(verifiesStandardWebhook(message, secret), 'the signature verifies with the secret shown');
      assert.equal(receiver.received.length, 2, 'refused once, then delivered once');
      assert.equal(
        await log.getByRole('row').nth(1).getByRole('cell').nth(6).textContent(),
        message.headers['webhook-id'],
        'the log names the message by the id the receiver got',
      );

      // A receiver that keeps refusing is said out loud on every page, until the channel is fixed or removed.
      down.failing = Infinity;
      const { body: broken } = await system.call<{ id: string }>('POST', '/notifications/channels', {
        name: 'down hook',
        kind: 'slack',
        url: down.url('/down'),
        topics: ['deployment.failed'],
        project: { org: ORG, repo },
      });
      await system.call('POST', `/notifications/channels/${broken.id}/test`);
      await page.goto(ui('/deployments'));
      const alarm = page.getByRole('alert').filter({ hasText: 'Notifications are not getting through' });
      await alarm.waitFor({ timeout: 30_000 });
      await alarm.getByText(/down hook \(retrying\): HTTP 503/).waitFor();
      assert.equal(await alarm.getByRole('link', { name: 'team hook' }).count(), 0, 'only the failing one');
      await alarm.getByRole('link', { name: 'down hook' }).click();
      await page.getByRole('button', { name: 'Remove down hook' }).click();
      await page.getByRole('row').filter({ hasText: 'team hook' }).waitFor();
      await eventually(async () => ((await alarm.count()) === 0 ? true : undefined), 20_000);
    } finally {
      await down.stop();
    }
  });

  it("sets, imports and removes a project's variables on its page, a secret shown only by name, none of it to a viewer", async () => {
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    await page.goto(ui(`/projects/${ORG}/${repo}`));
    const section = page.getByRole('region', { name: 'Variables' });
    await section.getByText('No variables yet.').waitFor();
    await section.getByLabel('Variable name').fill('BOT_TOKEN');
    await section.getByLabel('Value').fill(secret);
    await section.getByRole('button', { name: 'Set', exact: true }).click();
    const row = section.getByRole('row').filter({ hasText: 'BOT_TOKEN' });
    await row.getByRole('cell', { name: 'secret', exact: true }).waitFor();
    await section.getByLabel("A .env file's text").fill(`# mine\nGREETING=hello\nnot a line\n`);
    await section.getByLabel('Each one secret').uncheck();
    await section.getByRole('button', { name: 'Import' }).click();
    await section.getByRole('status').getByText('Set GREETING. line 3: not NAME=value').waitFor();
    await section
      .getByRole('row')
      .filter({ hasText: 'GREETING' })
      .getByRole('cell', { name: 'hello' })
      .waitFor();
    await section.getByText('Configuration version 2').waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is not in the page');
    await page.reload();
    await section.getByText('Configuration version 2').waitFor();
    assert.ok(!(await page.content()).includes(secret), 'nor after a reload');
    await section.getByRole('button', { name: 'Remove GREETING' }).click();
    await section.getByText('Configuration version 3').waitFor();
    assert.equal(await section.getByRole('row').filter({ hasText: 'GREETING' }).count(), 0);

    // A change that redeploys now: the section links the deployment, whose page says the version it runs with.
    await section.getByLabel('Redeploy now with each change').check();
    await section.getByLabel('Variable name').fill('BOT_TOKEN');
    await section.getByLabel('Value').fill(`${secret}-changed`);
    await section.getByRole('button', { name: 'Set', exact: true }).click();
    await section.getByText('Configuration version 4').waitFor();
    await section.getByRole('status').getByRole('link', { name: 'the deployment' }).click();
    const summary = page.getByRole('region', { name: 'Deployment' });
    await summary.getByText('version 4', { exact: true }).waitFor();
    await summary.locator('.status', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
    await page
      .getByRole('region', { name: 'Attempts of this source' })
      .getByRole('cell', { name: 'version 4' })
      .first()
      .waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is not on the deployment page');

    const { body } = await system.call<{ token: string }>('POST', '/members', { name: 'val' });
    await system.call('PUT', `/projects/${ORG}/${repo}/members/val`, { role: 'viewer' });
    const viewer = await browser.newContext();
    const viewerPage = await viewer.newPage();
    await signIn(viewerPage, body.token);
    await viewerPage.goto(ui(`/projects/${ORG}/${repo}`));
    await viewerPage.getByRole('region', { name: 'Members' }).waitFor();
    assert.equal(await viewerPage.getByRole('region', { name: 'Variables' }).count(), 0);
    assert.equal(await viewerPage.getByRole('region', { name: 'Remove the project' }).count(), 0);
    await viewer.close();
    await system.call('DELETE', `/projects/${ORG}/${repo}/members/val`);
  });

  it('removes a project once its name is typed, saying why not before, and the list no longer has it', async () => {
    const gone = `gone-${randomBytes(3).toString('hex')}`;
    await system.call('PUT', `/projects/${ORG}/${gone}/members/val`, { role: 'maintainer' });
    await system.call('PUT', `/projects/${ORG}/${gone}/variables/KEY`, { value: 'x', secret: true });
    await page.goto(ui(`/projects/${ORG}/${gone}`));
    const remove = page.getByRole('region', { name: 'Remove the project' });
    await remove.getByLabel(`Type ${ORG}/${gone}`).fill('not-it');
    await remove.getByRole('button', { name: 'Remove the project' }).click();
    await remove.getByText(`type ${ORG}/${gone} as confirm to remove the project`).waitFor();
    await remove.getByLabel(`Type ${ORG}/${gone}`).fill(`${ORG}/${gone}`);
    await remove.getByRole('button', { name: 'Remove the project' }).click();
    await page.waitForURL(/\/ui\/projects$/);
    await page.getByRole('link', { name: `${ORG}/${repo}` }).waitFor();
    assert.equal(await page.getByRole('link', { name: `${ORG}/${gone}` }).count(), 0);
    assert.equal((await system.call('GET', `/projects/${ORG}/${gone}`)).status, 404);
  });

  it('signs a member in with GitHub (a stand-in on 127.0.0.1) from the sign-in page, and shows a refusal’s reason', async () => {
    await system.call('POST', '/members', { name: 'gus' });
    await page.goto(ui('/admin/members'));
    const link = page.getByRole('region', { name: 'Link a sign-in' });
    await link.getByLabel('Member', { exact: true }).fill('gus');
    await link.getByLabel('Their login there').fill('Gus-GH');
    await link.getByRole('button', { name: 'Link' }).click();
    await page.getByRole('cell', { name: 'github: Gus-GH (not yet)' }).waitFor();

    const visitor = await browser.newContext();
    const visitorPage = await visitor.newPage();
    github.user = { id: 777, login: 'Gus-GH', orgs: ['someone-elses'] };
    await visitorPage.goto(system.api);
    await visitorPage.getByRole('link', { name: 'Sign in with GitHub' }).click();
    const alert = visitorPage.getByRole('alert');
    await alert.waitFor();
    assert.match(
      (await alert.textContent()) ?? '',
      /Not signed in: GitHub says "Gus-GH" is not a member of an allowed organisation/,
    );

    github.user = { id: 777, login: 'Gus-GH', orgs: [ORG] };
    await visitorPage.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await visitorPage.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(new URL(visitorPage.url()).pathname, '/ui/projects');
    const me = await (await visitorPage.request.get(`${system.api}/session`)).json();
    assert.equal(me.member, 'gus');
    await page.reload();
    await page.getByRole('cell', { name: 'github: Gus-GH', exact: true }).waitFor();
    await visitor.close();
  });

  it('signs a member in through an OpenID Connect provider’s own login and consent pages, and refuses one not linked', async () => {
    await system.call('POST', '/members', { name: 'oli' });
    await system.call('PUT', '/members/oli/identities/oidc', { login: 'oli' });
    /** A browser of its own (the provider remembers who signed in) through the provider's pages as `login`. */
    const throughProvider = async (login: string) => {
      const visitor = await browser.newContext();
      const visitorPage = await visitor.newPage();
      await visitorPage.goto(system.api);
      await visitorPage.getByRole('link', { name: 'Sign in with Authentik' }).click();
      await visitorPage.locator('input[name=login]').fill(login);
      await visitorPage.locator('input[name=password]').fill('any');
      await visitorPage.locator('button[type=submit]').click();
      await visitorPage.locator('button[type=submit]', { hasText: 'Continue' }).click();
      return { visitor, visitorPage };
    };
    const refused = await throughProvider('stranger');
    const alert = refused.visitorPage.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /Not signed in: .*stranger/);
    await refused.visitor.close();

    const { visitor, visitorPage } = await throughProvider('oli');
    await visitorPage.getByRole('button', { name: 'Sign out' }).waitFor();
    const me = await (await visitorPage.request.get(`${system.api}/session`)).json();
    assert.equal(me.member, 'oli');
    await visitor.close();
  });

  it('pages a long list 25 rows at a time: thirty members', async () => {
    for (let n = 0; n < 30; n++) await system.call('POST', '/members', { name: `many-${n}` });
    await page.goto(ui('/admin/members'));
    const members = page.getByRole('region', { name: 'Members' });
    const pager = members.getByRole('navigation', { name: 'Pages of members' });
    await pager.getByText('Page 1').waitFor();
    assert.equal(await members.locator('tbody tr').count(), 25);
    const first = await members.locator('tbody tr').first().textContent();
    await pager.getByRole('button', { name: 'Older' }).click();
    await pager.getByText('Page 2').waitFor();
    assert.notEqual(await members.locator('tbody tr').first().textContent(), first);
    assert.equal(await pager.getByRole('button', { name: 'Older' }).isDisabled(), true);
    await pager.getByRole('button', { name: 'Newer' }).click();
    await pager.getByText('Page 1').waitFor();
  });

  it('filters the audit log and travels back to when the deployment was requested', async () => {
    await page.goto(ui('/audit'));
    await page.getByLabel('Event type').fill('DeploymentRequested');
    await page.getByRole('button', { name: 'Filter' }).click();
    const entries = page.getByRole('region', { name: 'Entries' });
    await eventually(async () => {
      const types = await entries.locator('tbody td:nth-child(3)').allTextContents();
      return types.length > 0 && types.every((type) => type === 'DeploymentRequested') ? types : undefined;
    }, 10_000);
    const position = (await entries.locator('tbody tr').first().locator('td').first().textContent())!;
    await page.getByLabel('Or at a log position').fill(position);
    await page.getByRole('button', { name: 'Show the deployments and containers then' }).click();
    const then = page.getByRole('region', { name: 'Time travel' });
    await then.locator('.status', { hasText: 'requested' }).waitFor();
    await then.getByText('No containers then.').waitFor();
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await page.getByText(/^Intact: \d+ events checked/).waitFor();
  });

  it('shows on the firewall page the drift a Guardian found and restored', async () => {
    await system.guardianNetns.exec('nft', 'delete', 'table', 'inet', 'testausdeploy');
    await page.goto(ui('/admin/firewall'));
    const guardians = page.getByRole('region', { name: 'Guardians' });
    await guardians.getByText('no drift seen').waitFor();
    const drift = guardians.getByText(/drift restored .*: .+/);
    // The Manager collects a Guardian's report when it syncs: asked from the page until the report is in.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Sync now' }).click();
      return drift.waitFor({ timeout: 3000 }).then(
        () => true,
        () => undefined,
      );
    }, 30_000);
  });

  it('rebuilds the read models from the admin page and says what each replayed', async () => {
    await page.goto(ui('/admin/projections'));
    await page.getByRole('button', { name: 'Rebuild all' }).click();
    const models = page.getByRole('region', { name: 'Read models' });
    await models
      .getByRole('status')
      .filter({ hasText: /^rebuilt: \d+ events to position \d+ in \d+ ms$/ })
      .first()
      .waitFor();
    assert.equal(await models.getByRole('status').filter({ hasText: 'rebuilt:' }).count(), 12);
  });

  it("shows the nodes with their sessions, the Worker's capacity as it measured it and what runs on it; labels and drains it", async () => {
    await page.goto(ui('/admin/nodes'));
    const worker = page.getByRole('listitem').filter({ has: page.getByText('worker', { exact: true }) });
    const capacity = worker.getByRole('definition');
    await capacity.first().waitFor();
    const facts = await capacity.allTextContents();
    assert.match(facts[0], new RegExp(`^${availableParallelism()} cores?, load \\d+\\.\\d\\d$`));
    assert.match(facts[1], new RegExp(` available of ${(totalmem() / 2 ** 30).toFixed(1)} GiB$`));
    assert.match(facts[2], /^\d+\.\d GiB free of \d+\.\d GiB$/);
    assert.match(facts[3], /^[\w-]+: \d+\.\d GiB free of \d+\.\d GiB$/);
    assert.match(facts[4], /^\d+ projects? \(\d+ containers?\), \d+ member containers?$/);
    await worker.getByText('connected', { exact: true }).waitFor();
    await worker.getByRole('link', { name: `${ORG}/${repo}` }).click();
    // The one node there is: a move is refused, with the reason.
    const move = page.getByRole('region', { name: 'Move', exact: true });
    await move.getByLabel('To node').fill('worker');
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await move
      .getByRole('alert')
      .getByText(`${ORG}/${repo} runs on worker already`, { exact: false })
      .waitFor();
    await move.getByLabel('To node').fill('elsewhere');
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await move
      .getByRole('alert')
      .getByText('node "elsewhere" is not an enrolled Worker', { exact: false })
      .waitFor();
    const runsOn = page.locator('dt', { hasText: 'Runs on' }).locator('xpath=following-sibling::dd[1]');
    assert.match(
      await runsOn.innerText(),
      /^worker \(most free capacity: \d+% of .+ free, its scarcest resource\)$/,
    );
    await page.goto(ui('/admin/nodes'));
    await worker.getByLabel('Labels of worker').fill('ssd, gpu');
    await worker.getByRole('button', { name: 'Set labels' }).click();
    await worker.getByText('gpu, ssd', { exact: true }).waitFor();
    await worker.getByRole('button', { name: 'Drain', exact: true }).click();
    await worker.getByText('draining', { exact: true }).waitFor();
    await worker.getByRole('button', { name: 'End draining' }).click();
    await worker.getByRole('button', { name: 'Drain', exact: true }).waitFor();
    const audit = await system.call<{ entries: { type: string }[] }>(
      'GET',
      '/audit?streamId=node-worker&order=oldest',
    );
    assert.deepEqual(
      audit.body.entries.map(({ type }) => type),
      ['NodeEnrolled', 'NodeLabelled', 'NodeDrainingSet', 'NodeDrainingSet'],
    );
  });

  it('passes axe-core on every page without serious or critical violations, fits 375 px, and writes a screenshot of each', async () => {
    const pages: [string, string][] = [
      ['overview', '/'],
      ['projects', '/projects'],
      ['project', `/projects/${ORG}/${repo}`],
      ['deployments', '/deployments'],
      ['deployment', `/deployments/${deploymentId}`],
      ['new-deployment', '/deployments/new'],
      ['containers', '/containers'],
      ['audit', '/audit'],
      ['tokens', '/tokens'],
      ['notifications', '/notifications'],
      ['notification-channel', `/notifications/${channelId}`],
      ['members', '/admin/members'],
      ['organisations', '/admin/organisations'],
      ['nodes', '/admin/nodes'],
      ['firewall', '/admin/firewall'],
      ['projections', '/admin/projections'],
    ];
    const found: Record<string, unknown> = {};
    for (const [name, path] of pages) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(ui(path));
      await page.locator('h1').first().waitFor();
      await eventually(
        async () => ((await page.locator('.loading').count()) === 0 ? true : undefined),
        10_000,
      ).catch(async () =>
        assert.fail(`${name} is still loading: ${await page.locator('main').textContent()}`),
      );
      const violations = await axeViolations(page);
      if (violations.length) found[name] = violations;
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      await page.setViewportSize({ width: 375, height: 800 });
      // Charts redraw at the new width when their resize observer fires, a frame or two later.
      const overflow = () =>
        page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      await eventually(async () => ((await overflow()) <= 0 ? true : undefined), 3000).catch(async () =>
        assert.fail(`${name} is ${await overflow()} px wider than 375 px`),
      );
    }
    const signInPage = await (await browser.newContext()).newPage();
    await signInPage.goto(ui('/'));
    await signInPage.getByLabel('API token').waitFor();
    const signInViolations = await axeViolations(signInPage);
    if (signInViolations.length) found['sign-in'] = signInViolations;
    await signInPage.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    assert.deepEqual(found, {});
  });
});
