import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../errors';
import { memberUpcasters } from '../member/member.upcasters';
import { containerUpcasters } from './container.upcasters';
import { ContainerEvent, ContainerRequested } from './container.events';
import { ContainerActor, MemberContainer } from './member-container.aggregate';

const spec = {
  image: 'testausdeploy/bookworm',
  limits: { cpus: 1, memoryMiB: 512, diskGiB: 2 },
  sshKeys: ['ssh-ed25519 AAAA'],
  nesting: false,
};
const requested = (owner: string, ownerId: string, incarnation: string): ContainerRequested => ({
  type: 'ContainerRequested',
  data: { name: 'box', owner, ownerId, incarnation, user: owner, sshPort: 22000, ...spec },
});
const made = (...events: ContainerEvent[]) => {
  const container = new MemberContainer('box');
  container.loadFromHistory(events);
  return container;
};
const exported = (id: string, backup: string): ContainerEvent => ({
  type: 'BackupExported',
  data: { name: 'box', id, backup, file: `/b/box/${id}.tar`, bytes: 1, createdAt: '2026-12-01T00:00:00Z' },
});
const member = (memberId: string): ContainerActor => ({ actor: 'x', memberId, admin: false });
const admin: ContainerActor = { actor: 'admin', memberId: null, admin: true };
/** The message of the refusal `act` meets, of the kind given. */
const message = (act: () => unknown, kind: typeof NotFound | typeof Conflict = NotFound) => {
  try {
    act();
  } catch (error) {
    assert.ok(error instanceof kind, String(error));
    return error.message;
  }
  assert.fail('not refused');
};

/** Alice's box with a backup, deleted, and the name then requested by Bob. */
const history = (): ContainerEvent[] => [
  requested('alice', 'id-alice', 'one'),
  { type: 'ContainerCreated', data: { name: 'box', ipv4: '10.0.0.2' } },
  exported('b-1', 'nightly'),
  { type: 'ContainerDeleted', data: { name: 'box' } },
  requested('bob', 'id-bob', 'two'),
  { type: 'ContainerCreated', data: { name: 'box', ipv4: '10.0.0.3' } },
];

describe('MemberContainer: a name is not an identity', () => {
  it('answers another member as if the container did not exist: the same words as for a name never used', () => {
    const never = message(() => made().ensureAllowed(member('id-alice')));
    const others = message(() => made(...history()).ensureAllowed(member('id-alice')));
    assert.equal(others, never);
    made(...history()).ensureAllowed(member('id-bob'));
    made(...history()).ensureAllowed(admin);
  });

  it('a member of the same name with another id is someone else', () => {
    assert.throws(() => made(...history()).ensureAllowed(member('id-bob-again')), NotFound);
  });

  it("gives a new incarnation none of the old one's backups, and lets it reuse their names", () => {
    const box = made(...history());
    assert.throws(() => box.backup('nightly'), /backup "nightly" does not exist/);
    box.ensureNewBackup('nightly', 5);
    assert.throws(() => box.backupById('b-1', member('id-bob')), /backup "b-1" does not exist/);
  });

  it('keeps a deleted incarnation’s backups restorable by their owner and admins only, with the spec they had', () => {
    const box = made(...history());
    const backup = box.backupById('b-1', member('id-alice'));
    assert.deepEqual(
      [backup.backup, backup.owner, backup.ownerId, backup.incarnation, backup.spec.user],
      ['nightly', 'alice', 'id-alice', 'one', 'alice'],
    );
    assert.equal(box.backupById('b-1', admin).id, 'b-1');
  });

  it('a new incarnation under the same owner starts without the old backups too', () => {
    const again = made(...history().slice(0, 4), requested('alice', 'id-alice', 'three'), {
      type: 'ContainerCreated',
      data: { name: 'box', ipv4: '10.0.0.4' },
    });
    assert.throws(() => again.backup('nightly'), NotFound);
    assert.equal(again.backupById('b-1', member('id-alice')).incarnation, 'one');
  });
});

describe('container and member events of schema version 1', () => {
  type Upcaster = { type: string; fromVersion: number; upcast(data: unknown): unknown };
  const upcast = (upcasters: Upcaster[], type: string, data: object) =>
    upcasters.find((upcaster) => upcaster.type === type && upcaster.fromVersion === 1)!.upcast(data);

  it('give a member added then, and the containers and backups they owned then, one legacy id', () => {
    const { memberId } = upcast(memberUpcasters, 'MemberAdded', { name: 'alice', role: 'member' }) as {
      memberId: string;
    };
    const old = upcast(containerUpcasters, 'ContainerRequested', { name: 'box', owner: 'alice' });
    assert.deepEqual(old, { name: 'box', owner: 'alice', ownerId: memberId, incarnation: 'legacy' });
    // Names were unique only within a container's stream; ids are unique over all, and the file keeps its name.
    for (const type of ['BackupExported', 'BackupDeleted']) {
      assert.deepEqual(upcast(containerUpcasters, type, { name: 'box', backup: 'nightly' }), {
        name: 'box',
        backup: 'nightly',
        id: 'legacy.box.nightly',
        key: 'nightly',
      });
    }
  });

  it('keep two old incarnations of a name under different owners apart', () => {
    const legacy = (owner: string) => requested(owner, `legacy-${owner}`, 'legacy');
    const box = made(
      legacy('alice'),
      exported('nightly', 'nightly'),
      { type: 'ContainerDeleted', data: { name: 'box' } },
      legacy('bob'),
    );
    assert.throws(() => box.backup('nightly'), NotFound);
    assert.equal(box.backupById('nightly', member('legacy-alice')).owner, 'alice');
  });
});

describe('MemberContainer: a move to another node', () => {
  const placed = (): ContainerEvent[] => [
    requested('alice', 'id-alice', 'one'),
    {
      type: 'ContainerPlaced',
      data: { name: 'box', node: 'worker-a', rule: 'capacity', reason: 'most free' },
    },
    { type: 'ContainerCreated', data: { name: 'box', ipv4: '10.0.0.2' } },
    exported('b-1', 'nightly'),
  ];
  const refusal = (act: () => unknown) => message(act, Conflict);

  it('runs on the new node once moved, takes no other change while the move is under way, and keeps its backups where they were made', () => {
    const container = made(...placed());
    const move = container.startMove('worker-b', 'move-1');
    assert.deepEqual(move, { from: 'worker-a', to: 'worker-b', backup: 'move-1', running: true });
    assert.equal(
      refusal(() => container.act('stop')),
      'container "box" is being moved to worker-b',
    );
    assert.equal(
      refusal(() => container.ensureDeletable('box')),
      'container "box" is being moved to worker-b',
    );
    assert.equal(
      refusal(() => container.startMove('worker-c', 'move-2')),
      'container "box" is being moved to worker-b',
    );
    container.moved('10.0.1.2', 'moved from worker-a by admin');
    assert.equal(container.node, 'worker-b');
    assert.equal(container.moving, null);
    assert.deepEqual(container.pendingEvents[1].data, {
      name: 'box',
      from: 'worker-a',
      to: 'worker-b',
      ipv4: '10.0.1.2',
      reason: 'moved from worker-a by admin',
    });
    assert.equal(container.backup('nightly').node, 'worker-a');
    container.act('stop');
    // Its stopped copy on worker-a keeps the name there until it is removed.
    assert.deepEqual(container.leftOn, { from: 'worker-a', backup: 'move-1' });
    assert.equal(
      refusal(() => container.ensureMovable('worker-a')),
      'container "box" has an old copy on worker-a still to be removed',
    );
    container.delete();
    assert.equal(
      refusal(() => container.request({ ...requested('bob', 'id-bob', 'two').data })),
      'the name "box" is still taken on worker-a, by a moved container\'s old copy',
    );
    container.moveFinished();
    assert.equal(container.leftOn, null);
    assert.equal(
      refusal(() => container.moveFinished()),
      'container "box" has no old copy to remove',
    );
    container.request({ ...requested('bob', 'id-bob', 'two').data });
  });

  it('stays where it ran when a move is abandoned, and takes changes again', () => {
    const container = made(...placed(), { type: 'ContainerActed', data: { name: 'box', action: 'stop' } });
    assert.equal(container.startMove('worker-b', 'move-1').running, false);
    container.moveAbandoned('the new node could not write the backup');
    assert.deepEqual([container.node, container.moving], ['worker-a', null]);
    assert.equal(
      refusal(() => container.moveAbandoned('again')),
      'container "box" is not being moved',
    );
    container.act('start');
  });

  it('refuses a move to where it runs, of one with no known node, and of one not running or stopped', () => {
    assert.equal(
      refusal(() => made(...placed()).ensureMovable('worker-a')),
      'container "box" runs on worker-a already',
    );
    assert.equal(
      refusal(() => made(requested('alice', 'id-alice', 'one')).ensureMovable('worker-b')),
      'container "box" is creating',
    );
    const legacy = made(requested('alice', 'id-alice', 'one'), {
      type: 'ContainerCreated',
      data: { name: 'box', ipv4: null },
    });
    assert.equal(
      refusal(() => legacy.ensureMovable('worker-b')),
      'container "box" runs on no known node: it cannot be moved',
    );
    const deleted = made(...placed(), { type: 'ContainerDeleted', data: { name: 'box' } });
    assert.throws(() => deleted.ensureMovable('worker-b'), NotFound);
  });
});
