import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeProjectName } from './compose-cli';

describe('composeProjectName', () => {
  it('is td_<org>_<repo> lowercased', () => {
    assert.equal(composeProjectName('Testausserveri', 'Web-App_2'), 'td_testausserveri_web-app_2');
  });

  it('is stable', () => {
    assert.equal(composeProjectName('demo', 'my.app'), composeProjectName('demo', 'my.app'));
    assert.equal(composeProjectName('Demo', 'My.App'), composeProjectName('demo', 'my.app'));
  });

  it('keeps only characters compose accepts, starting with a letter', () => {
    for (const [org, repo] of [
      ['demo', 'my.app'],
      ['a', '...x'],
      ['x-y', 'A.B.C'],
    ]) {
      assert.match(composeProjectName(org, repo), /^td_[a-z0-9_-]+$/);
    }
  });

  it('does not let names that only differ in "." share a project', () => {
    assert.match(composeProjectName('demo', 'my.app'), /^td_demo_my_app_[0-9a-f]{8}$/);
    assert.notEqual(composeProjectName('demo', 'my.app'), composeProjectName('demo', 'my_app'));
    assert.notEqual(composeProjectName('demo', 'my.app'), composeProjectName('demo', 'my-app'));
  });
});
