import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitHost } from './support/git-host';
import { eventually, freePort } from './support/ports';
import { allowedTcp } from './support/guardian-table';
import { System } from './support/system';
import { webSite } from './support/web-site';

const ORG = 'fw-org';

interface FirewallView {
  desired: { open: { owner: string; protocol: string; port: number }[]; forwards: unknown[] };
  guardians: {
    name: string;
    connected: boolean;
    lastSync: { applied: boolean; error: string | null } | null;
  }[];
}

/*
 * A project published on all addresses (not only loopback) needs its port opened by the Guardian. The Guardian
 * runs its firewall in a network namespace of the test's (System), which is where the rules are read from.
 */
describe('end to end: the Guardian opens and closes what the deployments publish', () => {
  let git: GitHost;
  let system: System;
  const repo = `open-${randomBytes(3).toString('hex')}`;
  const owner = `project:${ORG}/${repo}`;
  let port: number;

  const allowed = () => allowedTcp(system.guardianNetns);
  const firewall = async () => (await system.call<FirewallView>('GET', '/firewall')).body;

  before(async () => {
    git = await GitHost.start();
    // The Guardian reads its table back every second here, so the drift test need not wait long.
    system = await System.start({
      allowedOrgs: ORG,
      gitBaseUrl: git.baseUrl,
      env: { guardian: { RECONCILE_INTERVAL_MS: '1000' } },
    });
    port = await freePort();
    await git.push(ORG, repo, webSite(port, 'open to all', { hostIp: '0.0.0.0' }));
  });

  after(async () => {
    await system.composeDown(ORG, repo);
    await system.stop();
    await git.stop();
  });

  it("opens a deployed project's published port, closes it on stop and opens it again on start", async () => {
    const accepted = await system.call<{ deploymentId: string }>('POST', '/deployments', {
      org: ORG,
      repo,
      branch: 'main',
      composePath: 'docker-compose.yml',
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const id = accepted.body.deploymentId;
    await eventually(async () => {
      const { body } = await system.call<{ status: string }>('GET', `/deployments/${id}`);
      return body.status === 'requested' ? undefined : body;
    }, 180_000);

    await eventually(async () => ((await allowed()).includes(port) ? true : undefined), 10_000);
    const view = await firewall();
    assert.deepEqual(view.desired.open, [{ owner, protocol: 'tcp', port }]);
    assert.equal(view.guardians[0].lastSync?.applied, true);

    assert.equal((await system.call('POST', `/deployments/${id}/stop`)).status, 200);
    await eventually(async () => ((await allowed()).includes(port) ? undefined : true), 10_000);
    assert.deepEqual((await firewall()).desired.open, []);

    assert.equal((await system.call('POST', `/deployments/${id}/start`)).status, 200);
    await eventually(async () => ((await allowed()).includes(port) ? true : undefined), 10_000);
  });

  it('sends the state again to a Guardian that restarted without it', async () => {
    // Taken away once the Guardian has stopped: a running one puts its table back within a second.
    await system.restart('guardian', {}, async () => {
      await rm(join(system.dir, 'guardian', 'firewall.json'));
      await system.guardianNetns.exec('nft', 'delete', 'table', 'inet', 'testausdeploy');
    });
    await eventually(
      async () => ((await allowed().catch((): number[] => [])).includes(port) ? true : undefined),
      30_000,
    );
  });

  it('records drift the Guardian found and restored, in its name', async () => {
    await system.guardianNetns.exec('nft', 'flush', 'set', 'inet', 'testausdeploy', 'allowed_tcp');
    // The Guardian finds it within a second; the Manager collects the report when it syncs.
    await eventually(async () => ((await allowed()).includes(port) ? true : undefined), 30_000);
    const entries = await eventually(async () => {
      await system.call('POST', '/firewall/sync');
      const { body } = await system.call<{ entries: { actor: string; data: { differences: string[] } }[] }>(
        'GET',
        '/audit?type=FirewallDriftDetected',
      );
      return body.entries.length > 0 ? body.entries : undefined;
    }, 30_000);
    assert.equal(entries[0].actor, 'guardian:guardian');
    assert.deepEqual(entries[0].data.differences, [`set allowed_tcp lacks ${port}`]);
  });
});
