import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '@testausdeploy/service';
import { loadWorkerConfig } from './worker-config';

const node = {} as Parameters<typeof loadWorkerConfig>[0];

describe('deploy keys in the Worker config', () => {
  let dir: string;
  let key: string;
  let knownHosts: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-keys-'));
    key = path.join(dir, 'secret-key-name');
    knownHosts = path.join(dir, 'known_hosts');
    await fs.writeFile(key, 'not really a key', { mode: 0o600 });
    await fs.writeFile(knownHosts, '', { mode: 0o644 });
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const load = (env: NodeJS.ProcessEnv) =>
    loadWorkerConfig(node, {
      GIT_ORG_BASE_URLS: 'Acme=ssh://git@git.example,plain=https://git.example',
      GIT_KNOWN_HOSTS: knownHosts,
      ...env,
    });

  /** The config error's problems; none of them may name the key file. */
  function problems(env: NodeJS.ProcessEnv): string[] {
    try {
      load(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      for (const problem of error.problems) assert.ok(!problem.includes('secret-key-name'), problem);
      return error.problems;
    }
    assert.fail('the configuration was accepted');
  }

  it('takes keys per organisation or repository, organisations in lower case', () => {
    const config = load({ GIT_DEPLOY_KEYS: `ACME=${key},acme/Site=${key}` });
    assert.deepEqual(config.GIT_DEPLOY_KEYS, { acme: key, 'acme/Site': key });
    assert.equal(config.GIT_KNOWN_HOSTS, knownHosts);
    assert.deepEqual(loadWorkerConfig(node, {}).GIT_DEPLOY_KEYS, {});
  });

  it('refuses a key file that is missing, or readable by group or others', async () => {
    assert.deepEqual(problems({ GIT_DEPLOY_KEYS: `acme=${key}-missing` }), [
      'GIT_DEPLOY_KEYS: the key file for acme does not exist or cannot be read',
    ]);
    const open = path.join(dir, 'secret-key-name-open');
    await fs.writeFile(open, 'key', { mode: 0o640 });
    await fs.chmod(open, 0o640);
    assert.deepEqual(problems({ GIT_DEPLOY_KEYS: `acme=${open}` }), [
      'GIT_DEPLOY_KEYS: the key file for acme is readable by group or others (mode 640): chmod 600 it',
    ]);
    assert.deepEqual(problems({ GIT_DEPLOY_KEYS: `acme=${dir}` }), [
      'GIT_DEPLOY_KEYS: the key file for acme is not a regular file',
    ]);
  });

  it('wants pinned host keys, an ssh base URL and a sensible name', () => {
    assert.deepEqual(problems({ GIT_DEPLOY_KEYS: `acme=${key}`, GIT_KNOWN_HOSTS: undefined }), [
      'GIT_KNOWN_HOSTS: required with GIT_DEPLOY_KEYS, to pin the SSH hosts’ keys',
    ]);
    assert.deepEqual(
      problems({ GIT_DEPLOY_KEYS: `acme=${key}`, GIT_KNOWN_HOSTS: path.join(dir, 'nowhere') }),
      ['GIT_KNOWN_HOSTS: the known_hosts file does not exist or cannot be read'],
    );
    assert.deepEqual(
      problems({ GIT_DEPLOY_KEYS: `plain=${key},other=${key}` }).map((p) => p.split(' is fetched')[0]),
      ['GIT_DEPLOY_KEYS: plain', 'GIT_DEPLOY_KEYS: other'],
    );
    assert.match(problems({ GIT_DEPLOY_KEYS: `a_b=${key}` })[0], /"a_b" is not an organisation or org\/repo/);
    assert.match(problems({ GIT_DEPLOY_KEYS: `acme=relative/key` })[0], /must be an absolute path/);
  });
});
