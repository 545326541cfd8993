import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeProjectName } from './compose-cli';

describe('composeProjectName', () => {
  it('is td_<org>_<repo> lowercased', () => {
    assert.equal(composeProjectName('Testausserveri', 'Web-App'), 'td_testausserveri_web-app');
  });

  it('is one name for one repository, whatever the case it is written in', () => {
    assert.equal(composeProjectName('Demo', 'My.App'), composeProjectName('demo', 'my.app'));
    assert.equal(composeProjectName('acme', 'Site'), composeProjectName('acme', 'site'));
  });

  it('holds exactly two "_", so the names compose derives from it belong to one project only', () => {
    for (const [org, repo] of [
      ['demo', 'my.app'],
      ['a', '...x'],
      ['x-y', 'A.B.C'],
      ['a', 'b_c'],
      ['a', 'b__c_d'],
    ]) {
      const name = composeProjectName(org, repo);
      assert.match(name, /^td_[a-z0-9-]+_[a-z0-9-]+$/, name);
    }
    // Project td_a_b with service c_d and project td_a_b_c with service d would both have been td_a_b_c_d.
    assert.notEqual(`${composeProjectName('a', 'b')}_c_d`, `${composeProjectName('a', 'b_c')}_d`);
  });

  it('does not let names that only differ in "." or "_" share a project', () => {
    assert.match(composeProjectName('demo', 'my.app'), /^td_demo_my-app-[0-9a-f]{8}$/);
    const names = ['my.app', 'my_app', 'my-app'].map((repo) => composeProjectName('demo', repo));
    assert.equal(new Set(names).size, 3, names.join(' '));
  });
});
