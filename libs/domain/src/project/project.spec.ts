import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../errors';
import { Project } from './project.aggregate';

const ada = { memberId: 'id-ada', member: 'ada' };
const bob = { memberId: 'id-bob', member: 'bob' };

describe('Project', () => {
  it('grants, changes and revokes roles by member id', () => {
    const project = new Project('acme', 'site');
    project.grant(ada, 'viewer');
    assert.throws(() => project.grant(ada, 'viewer'), Conflict);
    project.grant(ada, 'maintainer');
    assert.equal(project.roleOf('id-ada'), 'maintainer');
    assert.equal(project.roleOf('id-someone-else-named-ada'), null);
    project.revoke(ada);
    assert.throws(() => project.revoke(ada), NotFound);
    assert.deepEqual(
      project.commit().map(({ type, data }) => [type, 'role' in data ? data.role : null]),
      [
        ['ProjectRoleGranted', 'viewer'],
        ['ProjectRoleGranted', 'maintainer'],
        ['ProjectRoleRevoked', null],
      ],
    );
  });

  it('is claimed by the first member who deploys it, and only while nobody holds a role', () => {
    const project = new Project('acme', 'site');
    project.claim(ada);
    assert.equal(project.roleOf('id-ada'), 'maintainer');
    assert.throws(() => project.claim(bob), /already has members/);
    assert.equal(project.commit()[0].data.org, 'acme');
    assert.equal(Project.streamId('acme', 'site'), 'project-acme/site');
  });

  it('ends every role when removed, after which the repository can be claimed again', () => {
    const project = new Project('acme', 'site');
    project.grant(ada, 'maintainer');
    project.grant(bob, 'viewer');
    project.remove();
    assert.deepEqual([project.roleOf('id-ada'), project.roleOf('id-bob')], [null, null]);
    project.claim(bob);
    assert.deepEqual(
      project.commit().map(({ type }) => type),
      ['ProjectRoleGranted', 'ProjectRoleGranted', 'ProjectRemoved', 'ProjectRoleGranted'],
    );
  });

  it('is placed once, moves only to another node, and is placed anew after it was removed', () => {
    const project = new Project('acme', 'site');
    assert.throws(() => project.moved('b'), /runs nowhere yet/);
    project.place({ node: 'a', rule: 'capacity', reason: 'most free capacity' });
    assert.equal(project.node, 'a');
    assert.throws(
      () => project.place({ node: 'b', rule: 'named', reason: 'b was named' }),
      /runs on a already/,
    );
    assert.throws(() => project.moved('a'), /runs on a already/);
    assert.equal(project.movedFrom, null);
    project.moved('b');
    assert.deepEqual([project.node, project.movedFrom], ['b', 'a']);
    project.remove();
    assert.equal(project.node, null);
    project.place({ node: 'c', rule: 'named', reason: 'c was named in the request' });
    assert.deepEqual(
      project
        .commit()
        .map(({ type, data }) => [type, 'node' in data ? data.node : 'to' in data ? data.to : null]),
      [
        ['ProjectPlaced', 'a'],
        ['ProjectMoved', 'b'],
        ['ProjectRemoved', null],
        ['ProjectPlaced', 'c'],
      ],
    );
  });

  it('keeps what it left on each node it moved away from until that is removed, but not on a node it came back to', () => {
    const project = new Project('acme', 'site');
    project.place({ node: 'a', rule: 'capacity', reason: 'most free capacity' });
    project.moved('b');
    project.moved('c');
    assert.deepEqual(project.leftOn, ['a', 'b']);
    assert.throws(() => project.moveFinished('c'), /left nothing on c to remove/);
    project.moveFinished('b');
    assert.deepEqual(project.leftOn, ['a']);
    project.moved('a');
    assert.deepEqual(project.leftOn, ['c']);
    project.remove();
    assert.deepEqual(project.leftOn, []);
    assert.deepEqual(
      project.commit().map(({ type }) => type),
      [
        'ProjectPlaced',
        'ProjectMoved',
        'ProjectMoved',
        'ProjectMoveFinished',
        'ProjectMoved',
        'ProjectRemoved',
      ],
    );
  });

  it('keeps its placement apart from its roles: a placed project nobody holds can still be claimed', () => {
    const project = new Project('acme', 'site');
    project.place({ node: 'a', rule: 'capacity', reason: 'most free capacity' });
    project.claim(ada);
    assert.equal(project.roleOf('id-ada'), 'maintainer');
  });
});
