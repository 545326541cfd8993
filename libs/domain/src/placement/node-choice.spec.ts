import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, InvalidInput, Unavailable } from '../errors';
import { CapacityFigures, chooseNode, freeShare, NodeCandidate } from './node-choice';

const GIB = 2 ** 30;
const capacity = (memoryFree: number, diskFree: number, load1 = 0, pool: number | null = diskFree) =>
  ({
    cpus: 4,
    load1,
    memory: { totalBytes: 16 * GIB, availableBytes: memoryFree * GIB },
    repositories: { totalBytes: 100 * GIB, freeBytes: diskFree * GIB },
    storagePool: pool === null ? null : { totalBytes: 100 * GIB, freeBytes: pool * GIB },
  }) satisfies CapacityFigures;
const node = (name: string, over: Partial<NodeCandidate> = {}): NodeCandidate => ({
  name,
  labels: [],
  draining: false,
  connected: true,
  capacity: capacity(8, 50),
  placedSince: 0,
  ...over,
});
const project = { kind: 'project' as const, estimateBytes: GIB };
const container = { kind: 'container' as const, estimateBytes: GIB };

describe('chooseNode', () => {
  it('takes the node whose scarcest resource has the largest free share, and says so with the figures', () => {
    const chosen = chooseNode(
      [node('a', { capacity: capacity(12, 10) }), node('b', { capacity: capacity(4, 90) }), node('c')],
      project,
    );
    // a: disk 10%; b: memory 25%; c: memory 50%, disk 50%.
    assert.deepEqual(chosen, {
      node: 'c',
      rule: 'capacity',
      reason: 'most free capacity: 50% of memory free, its scarcest resource (b 25%, a 10%)',
    });
    assert.equal(
      chooseNode([node('a', { capacity: capacity(16, 90, 3) })], project).reason.includes('CPU'),
      true,
    );
  });

  it("counts what was placed since a node's report against its memory, so a burst spreads over the nodes", () => {
    const nodes = [node('a', { placedSince: 3 }), node('b', { capacity: capacity(6, 50) })];
    // a: (8 - 3) / 16 = 31%; b: 6 / 16 = 37.5%.
    assert.equal(chooseNode(nodes, project).node, 'b');
    assert.equal(freeShare(nodes[0], 'project', GIB)?.share, 5 / 16);
  });

  it('breaks a tie by fewer placed since the report, then by name', () => {
    assert.equal(chooseNode([node('b'), node('a')], project).node, 'a');
    const busy = { capacity: capacity(9, 50), placedSince: 1 };
    assert.equal(chooseNode([node('a', busy), node('b')], project).node, 'b');
  });

  it('keeps drained, unreachable, unmeasured and wrongly labelled nodes out, with each reason when none is left', () => {
    const nodes = [
      node('a', { draining: true }),
      node('b', { connected: false }),
      node('c', { capacity: null }),
      node('d', { labels: ['containers-only'] }),
    ];
    assert.throws(
      () => chooseNode(nodes, project),
      (error: Error) =>
        error instanceof Unavailable &&
        error.message ===
          'no node can take a new project: a is being drained; b is unreachable; ' +
            'c has not reported its capacity yet; d is containers-only',
    );
    // Nothing will change by itself: a 409.
    assert.throws(() => chooseNode([nodes[0], nodes[3]], project), Conflict);
    assert.equal(chooseNode(nodes, container).node, 'd');
  });

  it('takes only nodes with every label asked for, and a container only where LXD answers', () => {
    const nodes = [
      node('a', { labels: ['gpu'] }),
      node('b', { labels: ['gpu', 'ssd'], capacity: capacity(2, 50) }),
    ];
    const chosen = chooseNode(nodes, { ...project, labels: ['gpu', 'ssd'] });
    assert.equal(chosen.node, 'b');
    assert.equal(chosen.rule, 'labels');
    assert.match(chosen.reason, /^most free capacity of the nodes labelled gpu, ssd: 13% of memory free/);
    assert.throws(() => chooseNode(nodes, { ...project, labels: ['tpu'] }), /a lacks tpu; b lacks tpu/);
    const noLxd = node('c', { capacity: capacity(16, 90, 0, null) });
    assert.equal(chooseNode([noLxd, node('d', { capacity: capacity(1, 1) })], container).node, 'd');
    assert.throws(() => chooseNode([noLxd], container), /c has no LXD that answers/);
  });

  it('takes the node an admin names, whatever its capacity and labels, unless it is drained or down', () => {
    const nodes = [node('a', { capacity: capacity(1, 1), labels: ['projects-only'] }), node('b')];
    assert.deepEqual(chooseNode(nodes, { ...container, node: 'a' }), {
      node: 'a',
      rule: 'named',
      reason: 'a was named in the request',
    });
    assert.throws(() => chooseNode(nodes, { ...project, node: 'x' }), InvalidInput);
    assert.throws(() => chooseNode([node('a', { draining: true })], { ...project, node: 'a' }), Conflict);
    assert.throws(
      () => chooseNode([node('a', { connected: false })], { ...project, node: 'a' }),
      Unavailable,
    );
    const noLxd = node('a', { capacity: capacity(8, 50, 0, null) });
    assert.throws(() => chooseNode([noLxd], { ...container, node: 'a' }), /cannot run containers/);
  });

  it('says to enrol a Worker when there is none', () => {
    assert.throws(() => chooseNode([], project), /no Worker is enrolled: enrol one with POST \/nodes/);
  });
});
