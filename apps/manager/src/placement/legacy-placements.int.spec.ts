import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EventStore } from '@testausdeploy/events';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { ReadModels } from '../events/read-models';
import { LegacyPlacements } from './legacy-placements';

const key = (digit: string) => digit.repeat(64);

describe('what ran before placements were recorded, placed on the only Worker (real database)', () => {
  let manager: ManagerApp;
  const enrol = (body: object) => manager.http().post('/nodes').set(auth).send(body).expect(201);
  const worker = (n: number) => ({
    name: `worker-${n}`,
    kind: 'worker',
    url: `wss://127.0.0.1:${10 + n}`,
    fingerprint: key(String(n)),
    guardian: 'guardian-1',
  });

  /** A deployment recorded as before placements were: no ProjectPlaced in its project's stream. */
  async function recordedBefore(repo: string): Promise<void> {
    const deploymentId = randomUUID();
    const source = { org: 'testausserveri', repo, branch: 'main', composePath: 'compose.yml' };
    const { events } = await manager
      .get(EventStore)
      .append(
        `deployment-${deploymentId}`,
        0,
        [{ type: 'DeploymentRequested', data: { deploymentId, ...source, requestedBy: 'admin' } }],
        { actor: 'admin', correlationId: deploymentId, causationId: null },
      );
    await manager.get(ReadModels).waitFor(events[0].position);
  }

  before(async () => {
    manager = await ManagerApp.start('legacy-placements');
    await recordedBefore('old');
  });

  after(() => manager.stop());

  it('places nothing without a Worker, all of it on the one Worker there is, and nothing twice', async () => {
    const legacy = manager.get(LegacyPlacements);
    assert.equal(await legacy.placeAll(), 0);
    await enrol({ name: 'guardian-1', kind: 'guardian', url: 'wss://127.0.0.1:9', fingerprint: key('a') });
    await enrol(worker(1));
    assert.equal(await legacy.placeAll(), 1);
    const { body } = await manager.http().get('/projects/testausserveri/old').set(auth).expect(200);
    assert.deepEqual(
      [body.placement.node, body.placement.rule, body.placement.by],
      ['worker-1', 'only', 'system'],
    );
    assert.equal(body.placement.reason, 'worker-1 was the only Worker when placements began to be recorded');
    assert.equal(await legacy.placeAll(), 0);
  });

  it('places nothing once a second Worker is enrolled: where such a project ran is not known then', async () => {
    await enrol(worker(2));
    await recordedBefore('older');
    assert.equal(await manager.get(LegacyPlacements).placeAll(), 0);
    const { body } = await manager.http().get('/projects/testausserveri/older').set(auth).expect(200);
    assert.equal(body.placement, null);
  });
});
