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
});
