import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceLocks } from './source-locks';

const lock = (deploymentId: string, repo = 'site') => ({
  org: 'o',
  repo,
  deploymentId,
  requestedBy: 'alice',
});

describe('SourceLocks', () => {
  it('runs deployments of one repository one after the other, in order, showing who holds it', async () => {
    const locks = new SourceLocks();
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = locks.run(lock('d1'), async (held) => {
      order.push('d1 start');
      held.commit = 'c'.repeat(40);
      await gate;
      order.push('d1 end');
    });
    const second = locks.run(lock('d2'), async () => void order.push('d2'));
    const other = locks.run(lock('d3', 'elsewhere'), async () => void order.push('d3'));
    await other;
    assert.equal(locks.holder('o', 'site')?.deploymentId, 'd1');
    assert.equal(locks.holder('o', 'site')?.commit, 'c'.repeat(40));
    assert.deepEqual(
      locks.all().map((held) => held.deploymentId),
      ['d1'],
    );
    open();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['d1 start', 'd3', 'd1 end', 'd2']);
    assert.deepEqual(locks.all(), []);
  });

  it('lets go of a lock whose work failed', async () => {
    const locks = new SourceLocks();
    await assert.rejects(
      locks.run(lock('d1'), async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await locks.run(lock('d2'), async () => 'ran'), 'ran');
    assert.equal(locks.holder('o', 'site'), undefined);
  });
});
