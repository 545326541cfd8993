import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { NodeEnrolment } from './node-enrolment';
import { RegisteredNode } from './registered-node.aggregate';

const key = (digit: string) => digit.repeat(64);
const worker = {
  name: 'worker-1',
  kind: 'worker' as const,
  url: 'wss://10.0.0.2:7443',
  fingerprint: key('a'),
  guardian: 'guardian-1',
};

describe('NodeEnrolment', () => {
  it('normalises the address and the fingerprint', () => {
    const { props } = NodeEnrolment.create({
      ...worker,
      url: 'wss://host.example:7443/',
      fingerprint: 'AB:'.repeat(30) + 'ABCD',
    });
    assert.equal(props.url, 'wss://host.example:7443');
    assert.equal(props.fingerprint, 'ab'.repeat(30) + 'abcd');
  });

  const refusals: [
    string,
    Partial<Omit<typeof worker, 'guardian'>> & { guardian?: string | null },
    RegExp,
  ][] = [
    ['an upper-case name', { name: 'Worker' }, /not a valid node name/],
    ['a name with a slash', { name: 'a/b' }, /not a valid node name/],
    ['plain ws', { url: 'ws://h:1' }, /must use wss:\/\//],
    ['credentials', { url: 'wss://u:p@h:1' }, /credentials/],
    ['a path', { url: 'wss://h:1/x' }, /without a path/],
    ['not a URL', { url: 'h:1' }, /must use wss|not a URL/],
    ['a short fingerprint', { fingerprint: 'abc' }, /64 hex digits/],
    ['a worker without a guardian', { guardian: null }, /needs a guardian/],
    ['a bad guardian name', { guardian: '-x' }, /not a valid node name/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => NodeEnrolment.create({ ...worker, ...change }),
        (error: Error) => {
          assert.ok(error instanceof InvalidInput);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('refuses a guardian with a guardian', () => {
    assert.throws(() => NodeEnrolment.create({ ...worker, kind: 'guardian' }), /cannot have a guardian/);
  });
});

describe('RegisteredNode', () => {
  it('is enrolled once, rotates to a different key, is removed, and can be enrolled again', () => {
    const node = new RegisteredNode('worker-1');
    node.enrol(NodeEnrolment.create(worker));
    assert.throws(() => node.enrol(NodeEnrolment.create(worker)), Conflict);
    assert.throws(() => node.rotateKey(key('a')), Conflict);
    node.rotateKey(key('B'));
    node.remove();
    assert.throws(() => node.remove(), NotFound);
    assert.throws(() => node.rotateKey(key('c')), NotFound);
    node.enrol(NodeEnrolment.create(worker));
    assert.deepEqual(
      node.commit().map((event) => event.type),
      ['NodeEnrolled', 'NodeKeyRotated', 'NodeRemoved', 'NodeEnrolled'],
    );
  });

  it('records the previous key with a rotation', () => {
    const node = new RegisteredNode('worker-1');
    node.loadFromHistory([{ type: 'NodeEnrolled', data: NodeEnrolment.create(worker).props }]);
    node.rotateKey(key('b'));
    assert.deepEqual(node.pendingEvents[0].data, {
      name: 'worker-1',
      fingerprint: key('b'),
      previousFingerprint: key('a'),
    });
  });

  it("sets a Worker's labels whole, sorted and once each, and refuses bad ones and a Guardian's", () => {
    const node = new RegisteredNode('worker-1');
    node.loadFromHistory([{ type: 'NodeEnrolled', data: NodeEnrolment.create(worker).props }]);
    node.label(['ssd', 'gpu', 'ssd']);
    assert.deepEqual(node.pendingEvents[0].data, { name: 'worker-1', labels: ['gpu', 'ssd'] });
    assert.throws(() => node.label(['ssd', 'gpu']), /has these labels already/);
    assert.throws(() => node.label(['GPU']), /"GPU" is not a valid label/);
    assert.throws(() => node.label(Array.from({ length: 17 }, (_, i) => `l${i}`)), /at most 16 labels/);
    node.label([]);
    const guardian = new RegisteredNode('guardian-1');
    guardian.loadFromHistory([
      {
        type: 'NodeEnrolled',
        data: NodeEnrolment.create({ ...worker, name: 'guardian-1', kind: 'guardian', guardian: null }).props,
      },
    ]);
    assert.throws(() => guardian.label(['gpu']), /is a guardian: label its Worker/);
    assert.throws(() => guardian.setDraining(true), /is a guardian: drain its Worker/);
  });

  it('drains and undrains a Worker, each once, and is removed only when nothing runs on it', () => {
    const node = new RegisteredNode('worker-1');
    node.loadFromHistory([{ type: 'NodeEnrolled', data: NodeEnrolment.create(worker).props }]);
    node.setDraining(true);
    assert.throws(() => node.setDraining(true), /being drained already/);
    node.setDraining(false);
    assert.throws(() => node.setDraining(false), /not being drained/);
    const placed = [
      'project acme/a',
      'project acme/b',
      'container c',
      'container d',
      'container e',
      'container f',
    ];
    assert.throws(
      () => node.remove(placed),
      (error: Error) =>
        error instanceof Conflict &&
        error.message ===
          'node "worker-1" still runs project acme/a, project acme/b, container c, container d, container e and 1 more: move or remove them first',
    );
    node.remove([]);
    assert.deepEqual(
      node.commit().map(({ type }) => type),
      ['NodeDrainingSet', 'NodeDrainingSet', 'NodeRemoved'],
    );
  });
});
