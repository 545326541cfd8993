import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { System } from './support/system';
import { servedPage, webSite } from './support/web-site';

const ORG = 'poll-org';

describe('end to end: the poller follows a deployed branch', () => {
  let git: GitHost;
  let system: System;
  const repo = `followed-${randomBytes(3).toString('hex')}`;

  before(async () => {
    git = await GitHost.start();
    system = await System.start({ allowedOrgs: ORG, gitBaseUrl: git.baseUrl, pollIntervalMs: 500 });
  });

  after(async () => {
    await system.composeDown(ORG, repo).catch(() => undefined);
    await system.stop();
    await git.stop();
  });

  const deployments = () => system.deploymentsOf(repo);

  it('deploys a new commit, keeps the old version serving when a commit breaks, and tries each commit once', async () => {
    const port = await freePort();
    await git.push(ORG, repo, webSite(port, 'v1'));
    const first = await system.call<{ deploymentId: string }>('POST', '/deployments', { org: ORG, repo });
    assert.equal(first.status, 202);
    await eventually(async () => ((await servedPage(port)) === 'v1' ? true : undefined), 120_000);

    const v2 = await git.push(ORG, repo, webSite(port, 'v2'));
    const redeployed = await eventually(async () => {
      const [newest] = await deployments();
      return newest.requestedBy === 'poller' && newest.status !== 'requested' ? newest : undefined;
    }, 120_000);
    assert.equal(redeployed.status, 'succeeded', redeployed.reason ?? '');
    assert.equal(redeployed.commit, v2);
    assert.equal(await eventually(() => servedPage(port), 15_000), 'v2');

    await git.push(ORG, repo, webSite(port, 'v3', { broken: true }));
    const failed = await eventually(async () => {
      const [newest] = await deployments();
      return newest.id !== redeployed.id && newest.status !== 'requested' ? newest : undefined;
    }, 120_000);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.requestedBy, 'poller');
    assert.equal(await servedPage(port), 'v2', 'the previous version keeps serving');

    // A few more rounds: the broken commit is not tried again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await deployments()).length, 3);
    const audit = await system.call<{ entries: { actor: string }[] }>(
      'GET',
      '/audit?type=DeploymentRequested',
    );
    assert.deepEqual(
      audit.body.entries.map((entry) => entry.actor),
      ['poller', 'poller', 'admin'],
    );
  });

  it('records the commit a refused deployment was about, and does not deploy that commit again', async () => {
    const refused = `refused-${randomBytes(3).toString('hex')}`;
    const commit = await git.push(ORG, refused, {
      'docker-compose.yml':
        'services:\n  app:\n    image: testausdeploy/busybox:latest\n    privileged: true\n',
    });
    const first = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo: refused,
    });
    const view = await eventually(async () => {
      const { body } = await system.call<{ status: string; commit: string | null; reason: string | null }>(
        'GET',
        `/deployments/${first.body.deploymentId}`,
      );
      return body.status === 'requested' ? undefined : body;
    }, 60_000);
    assert.equal(view.status, 'failed');
    assert.match(view.reason ?? '', /privileged/);
    assert.equal(view.commit, commit);
    // Rounds come every half second: several go by without the refused commit being tried again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal((await system.deploymentsOf(refused)).length, 1);
  });
});
