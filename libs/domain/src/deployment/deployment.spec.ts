import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, InvalidInput } from '../errors';
import { DeploymentSource } from './deployment-source';
import { Deployment, MAX_REASON } from './deployment.aggregate';
import { deploymentUpcasters } from './deployment.upcasters';
import { DeploymentEvent } from './deployment.events';

const source = {
  org: 'testausserveri',
  repo: 'web.site_2',
  branch: 'feature/x',
  composePath: 'deploy/compose.yml',
};

describe('DeploymentSource', () => {
  it('accepts GitHub-shaped names and a relative compose path', () => {
    assert.deepEqual(DeploymentSource.create(source).props, source);
  });

  it('spells organisations and repositories in lower case, as GitHub treats them: acme/Site is acme/site', () => {
    const props = DeploymentSource.create({ ...source, org: 'TestausServeri', repo: 'Web.Site_2' }).props;
    assert.equal(props.org, 'testausserveri');
    assert.equal(props.repo, 'web.site_2');
  });

  it('reads deployment events of schema version 1 with the repository lowercased, and leaves others alone', () => {
    const requested = deploymentUpcasters.find(({ type }) => type === 'DeploymentRequested');
    assert.ok(requested);
    assert.equal(requested.fromVersion, 1);
    assert.deepEqual(requested.upcast({ deploymentId: 'd', org: 'acme', repo: 'Site' }), {
      deploymentId: 'd',
      org: 'acme',
      repo: 'site',
    });
    assert.deepEqual(deploymentUpcasters.map(({ type }) => type).sort(), [
      'DeploymentRemoved',
      'DeploymentRequested',
      'DeploymentRestarted',
      'DeploymentStarted',
      'DeploymentStopped',
    ]);
  });

  for (const [field, value] of [
    ['org', '-lead'],
    ['org', 'a'.repeat(40)],
    ['org', 'has space'],
    ['repo', '..'],
    ['repo', 'x.git'],
    ['repo', 'a/b'],
    ['branch', '--upload-pack=evil'],
    ['branch', 'a..b'],
    ['branch', 'x.lock'],
    ['composePath', '../outside.yml'],
    ['composePath', 'a/../../outside.yml'],
    ['composePath', '/etc/passwd'],
    ['composePath', ''],
  ] as const) {
    it(`refuses ${field} "${value}" with a reason`, () => {
      assert.throws(() => DeploymentSource.create({ ...source, [field]: value }), InvalidInput);
    });
  }
});

describe('Deployment', () => {
  it('records a request, then exactly one outcome', () => {
    const deployment = new Deployment('d1');
    deployment.request(DeploymentSource.create(source), 'admin', 0);
    deployment.succeed({ commit: 'c'.repeat(40), composeDigest: `sha256:${'d'.repeat(64)}`, containers: [] });
    assert.deepEqual(
      deployment.commit().map((event) => event.type),
      ['DeploymentRequested', 'DeploymentSucceeded'],
    );
    assert.equal(deployment.version, 2);
    assert.throws(() => deployment.fail('late'), Conflict);
  });

  it('records a failure reason of at most MAX_REASON characters: the log keeps it for good', () => {
    const deployment = new Deployment('d2');
    deployment.request(DeploymentSource.create(source), 'admin', 0);
    deployment.fail('x'.repeat(100_000));
    const [, failed] = deployment.commit();
    assert.equal(failed.type, 'DeploymentFailed');
    assert.equal((failed.data as { reason: string }).reason.length, MAX_REASON + 1);
  });

  it('rebuilds its state from history', () => {
    const history: DeploymentEvent[] = [
      { type: 'DeploymentRequested', data: { deploymentId: 'd2', requestedBy: 'admin', ...source } },
      { type: 'DeploymentFailed', data: { deploymentId: 'd2', reason: 'compose failed' } },
    ];
    const deployment = new Deployment('d2');
    deployment.loadFromHistory(history);
    assert.equal(deployment.status, 'failed');
    assert.deepEqual(deployment.source, source);
    assert.equal(deployment.version, 2);
    assert.throws(() => deployment.request(DeploymentSource.create(source), 'admin', 0), Conflict);
  });
});

describe('Deployment lifecycle', () => {
  const running = [{ name: 'c', service: 'web', state: 'running', status: 'Up', ports: [] }];

  function succeeded(): Deployment {
    const deployment = new Deployment('d-1');
    deployment.request(DeploymentSource.create(source), 'alice', 0);
    deployment.succeed({
      commit: 'a'.repeat(40),
      composeDigest: `sha256:${'b'.repeat(64)}`,
      containers: running,
    });
    deployment.commit();
    return deployment;
  }

  it('stops, starts, restarts and removes in the allowed order, recording who asked', () => {
    const deployment = succeeded();
    assert.throws(() => deployment.ensureCan('start'), /is succeeded: it cannot start/);
    deployment.changed('stop', 'bob', []);
    assert.equal(deployment.status, 'stopped');
    assert.throws(() => deployment.ensureCan('restart'), Conflict);
    deployment.changed('start', 'bob', running);
    deployment.changed('restart', 'carol', running);
    deployment.changed('remove', 'carol', [], true);
    assert.equal(deployment.status, 'removed');
    for (const action of ['stop', 'start', 'restart', 'remove'] as const) {
      assert.throws(() => deployment.ensureCan(action), /is removed/);
    }
    const events = deployment.commit();
    assert.deepEqual(
      events.map((event) => event.type),
      ['DeploymentStopped', 'DeploymentStarted', 'DeploymentRestarted', 'DeploymentRemoved'],
    );
    assert.deepEqual(events[3].data, {
      deploymentId: 'd-1',
      org: 'testausserveri',
      repo: 'web.site_2',
      requestedBy: 'carol',
      containers: [],
      volumesRemoved: true,
    });
  });

  it('refuses every action before the deployment has succeeded', () => {
    const deployment = new Deployment('d-2');
    deployment.request(DeploymentSource.create(source), 'alice', 0);
    for (const action of ['stop', 'start', 'restart', 'remove'] as const) {
      assert.throws(() => deployment.ensureCan(action), /is requested/);
    }
  });

  it('has containers to read logs of while succeeded or stopped, not before or once removed', () => {
    const requested = new Deployment('d-3');
    requested.request(DeploymentSource.create(source), 'alice', 0);
    assert.throws(() => requested.ensureDeployed(), /d-3 is requested: it has no containers to read/);
    const deployment = succeeded();
    deployment.ensureDeployed();
    deployment.changed('stop', 'bob', []);
    deployment.ensureDeployed();
    deployment.changed('remove', 'bob', []);
    assert.throws(() => deployment.ensureDeployed(), /is removed/);
  });
});

describe('Deployment rollback', () => {
  it('restores what a successful attempt ran with its configuration, and refuses one that never succeeded', () => {
    const earlier = new Deployment('d-1');
    earlier.request(DeploymentSource.create(source), 'alice', 3);
    assert.throws(() => earlier.restorable(), /never succeeded/);
    earlier.succeed({ commit: 'a'.repeat(40), composeDigest: `sha256:${'b'.repeat(64)}`, containers: [] });
    const { pinned, configurationVersion } = earlier.restorable();
    assert.deepEqual(pinned, {
      commit: 'a'.repeat(40),
      composeDigest: `sha256:${'b'.repeat(64)}`,
      rollbackOf: 'd-1',
    });
    assert.equal(configurationVersion, 3);
    const rollback = new Deployment('d-2');
    rollback.request(DeploymentSource.create(source), 'bob', configurationVersion, pinned);
    assert.deepEqual([rollback.pinned, rollback.configurationVersion], [pinned, 3]);
    const replayed = new Deployment('d-2');
    replayed.loadFromHistory(rollback.commit());
    assert.deepEqual([replayed.pinned, replayed.configurationVersion], [pinned, 3]);
  });

  it('reads an attempt recorded before configurations as one that ran with none', () => {
    const old = new Deployment('d-0');
    old.loadFromHistory([
      { type: 'DeploymentRequested', data: { deploymentId: 'd-0', requestedBy: 'admin', ...source } },
    ]);
    assert.equal(old.configurationVersion, 0);
  });
});
