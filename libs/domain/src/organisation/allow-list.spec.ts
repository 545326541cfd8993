import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { AllowList } from './allow-list.aggregate';

describe('AllowList', () => {
  it('allows an organisation once, in lower case, and disallows it again', () => {
    const list = new AllowList();
    list.allow('Testausserveri');
    assert.throws(() => list.allow('testausserveri'), Conflict);
    assert.deepEqual(list.organisations, ['testausserveri']);
    list.disallow('TESTAUSSERVERI');
    assert.throws(() => list.disallow('testausserveri'), NotFound);
    assert.deepEqual(
      list.commit().map((event) => [event.type, event.data.org]),
      [
        ['OrganisationAllowed', 'testausserveri'],
        ['OrganisationDisallowed', 'testausserveri'],
      ],
    );
  });

  it('refuses names GitHub would not accept', () => {
    for (const bad of ['', '-x', 'a/b', 'a'.repeat(40), 'white space']) {
      assert.throws(() => new AllowList().allow(bad), InvalidInput, bad);
    }
  });

  it('turns member deploys on and off for an allowed organisation only, and forgets them when disallowed', () => {
    const list = new AllowList();
    assert.throws(() => list.setMemberDeploys('acme', true), NotFound);
    list.allow('acme');
    list.setMemberDeploys('ACME', true);
    assert.throws(() => list.setMemberDeploys('acme', true), Conflict);
    list.disallow('acme');
    list.allow('acme');
    assert.throws(() => list.setMemberDeploys('acme', false), /already off/);
    assert.deepEqual(
      list.commit().map(({ type, data }) => [type, data]),
      [
        ['OrganisationAllowed', { org: 'acme' }],
        ['MemberDeploysSet', { org: 'acme', allowed: true }],
        ['OrganisationDisallowed', { org: 'acme' }],
        ['OrganisationAllowed', { org: 'acme' }],
      ],
    );
  });
});
