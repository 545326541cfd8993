import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { DeploymentSummary, System } from './support/system';
import { servedPage, webSite } from './support/web-site';

const ORG = 'hook-org';
const SECRET = randomBytes(16).toString('hex');

describe('end to end: a signed GitHub push webhook deploys the pushed commit, with the poller off', () => {
  let git: GitHost;
  let system: System;
  const repo = `hooked-${randomBytes(3).toString('hex')}`;

  before(async () => {
    git = await GitHost.start();
    system = await System.start({
      allowedOrgs: ORG,
      gitBaseUrl: git.baseUrl,
      env: { manager: { WEBHOOK_SECRET: SECRET } },
    });
  });

  after(async () => {
    // Removed through the API once settled (a deployment still running answers 409), even after a failure.
    const [newest] = await deployments().catch(() => []);
    if (newest) {
      await settled(newest.id).catch(() => undefined);
      await system.call('DELETE', `/deployments/${newest.id}?volumes=true`).catch(() => undefined);
    }
    await system.stop();
    await git.stop();
  });

  const deployments = () => system.deploymentsOf(repo);
  const requesters = async () =>
    (
      await system.call<{ entries: { actor: string }[] }>('GET', '/audit?type=DeploymentRequested')
    ).body.entries.map((entry) => entry.actor);
  /** The deployment once it has ended, succeeded or failed. */
  const settled = (id: string) =>
    eventually(async () => {
      const view = (await system.call<DeploymentSummary>('GET', `/deployments/${id}`)).body;
      return view.status === 'requested' ? undefined : view;
    }, 60_000);

  /** What GitHub sends for a push: the body, signed with `secret` unless null. */
  const push = (branch: string, commit: string, secret: string | null = SECRET) => {
    const body = JSON.stringify({
      ref: `refs/heads/${branch}`,
      before: '0'.repeat(40),
      after: commit,
      repository: { name: repo, full_name: `${ORG}/${repo}`, owner: { login: ORG, name: ORG } },
      pusher: { name: 'someone' },
    });
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': crypto.randomUUID(),
    };
    if (secret !== null) {
      headers['X-Hub-Signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    }
    return fetch(`${system.api}/webhooks/github`, { method: 'POST', headers, body });
  };

  it('refuses unsigned and badly signed pushes, ignores other branches, and deploys a signed push', async () => {
    const port = await freePort();
    await git.push(ORG, repo, webSite(port, 'v1'));
    const first = await system.call<{ deploymentId: string }>('POST', '/deployments', { org: ORG, repo });
    assert.equal(first.status, 202);
    const v1 = await settled(first.body.deploymentId);
    assert.equal(v1.status, 'succeeded', v1.reason ?? '');
    assert.equal(await servedPage(port), 'v1');

    const v2 = await git.push(ORG, repo, webSite(port, 'v2'));
    assert.equal((await push('main', v2, null)).status, 401);
    assert.equal((await push('main', v2, 'not-the-secret-at-all')).status, 401);
    const elsewhere = await git.push(ORG, repo, webSite(port, 'elsewhere'), 'feature');
    const ignored = await push('feature', elsewhere);
    assert.equal(ignored.status, 202);
    assert.deepEqual(await ignored.json(), { deployments: [] });
    // Nothing was asked of the Worker: one deployment (the admin's), v1 still serving.
    assert.deepEqual(
      (await deployments()).map((view) => view.requestedBy),
      ['admin'],
    );
    assert.deepEqual(await requesters(), ['admin']);
    assert.equal(await servedPage(port), 'v1');

    const signed = await push('main', v2);
    assert.equal(signed.status, 202);
    const { deployments: started } = (await signed.json()) as { deployments: string[] };
    assert.equal(started.length, 1);
    const deployed = await settled(started[0]);
    assert.equal(deployed.status, 'succeeded', deployed.reason ?? '');
    assert.equal(deployed.commit, v2);
    assert.equal(deployed.requestedBy, 'webhook');
    assert.equal(
      await eventually(async () => ((await servedPage(port)) === 'v2' ? 'v2' : undefined), 15_000),
      'v2',
    );
    assert.deepEqual(await requesters(), ['webhook', 'admin']);
  });
});
