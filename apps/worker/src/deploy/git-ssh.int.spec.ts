import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitHost } from '../../../../test/support/git-host';
import { sshKeyPair } from '../../../../test/support/ssh';
import { SshHost } from '../../../../test/support/ssh-host';
import { GitRepositories, GitSourceError } from './git-repositories';

async function refusal(promise: Promise<unknown>): Promise<GitSourceError> {
  const err = await promise.catch((e: unknown) => e);
  assert.ok(err instanceof GitSourceError, `expected a GitSourceError, got ${String(err)}`);
  return err;
}

describe('GitRepositories over ssh with a deploy key (real sshd on 127.0.0.1)', () => {
  let dir: string;
  /** Holds the key files; its name is full of characters a shell would act on. */
  let keysDir: string;
  let deployKey: string;
  let strangerKey: string;
  let knownHosts: string;
  let remotes: GitHost;
  let sshd: SshHost;

  before(async () => {
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'td-ssh-')));
    keysDir = path.join(dir, "deploy key's dir; (touch pwned) & `id`");
    await fs.mkdir(keysDir);
    deployKey = path.join(keysDir, 'id_ed25519');
    strangerKey = path.join(keysDir, 'stranger');
    const deployPublic = (await sshKeyPair(deployKey)).publicKey;
    await sshKeyPair(strangerKey);
    remotes = await GitHost.start();
    sshd = await SshHost.start([deployPublic]);
    knownHosts = path.join(keysDir, 'known_hosts');
    await fs.writeFile(knownHosts, `${sshd.knownHostsLine}\n`);
  });

  after(async () => {
    await sshd?.stop();
    await remotes?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const repositories = (reposDir: string, keyFile: string, knownHostsFile = knownHosts) =>
    new GitRepositories({
      reposDir: path.join(dir, reposDir),
      baseUrl: 'https://example.invalid',
      orgBaseUrls: { demo: sshd.baseUrl(remotes.root) },
      deployKeys: { demo: keyFile },
      knownHostsFile,
    });

  /** The reason must say what went wrong without naming where the key lives. */
  function assertKeyHidden(err: GitSourceError): void {
    for (const text of [err.reason, err.message, String(err.stack)]) {
      assert.ok(!text.includes(keysDir) && !text.includes('id_ed25519'), `leaks the key path: ${text}`);
    }
  }

  it('reads the head, fetches and checks out, then fetches the next head, with the deploy key', async () => {
    const v1 = await remotes.push('demo', 'app', { 'index.html': 'v1' });
    const repos = repositories('repos', deployKey);
    const checkouts = path.join(dir, 'checkouts');
    await fs.mkdir(checkouts);
    assert.equal(await repos.head('demo', 'app', 'main'), v1);
    assert.equal(await repos.fetch('demo', 'app', 'main'), v1);
    await repos.checkoutInto('demo', 'app', v1, path.join(checkouts, 'v1'));
    assert.equal(await fs.readFile(path.join(checkouts, 'v1', 'index.html'), 'utf8'), 'v1');

    const v2 = await remotes.push('demo', 'app', { 'index.html': 'v2' });
    assert.equal(await repos.head('demo', 'app', 'main'), v2);
    assert.equal(await repos.fetch('demo', 'app', 'main'), v2);
    await repos.checkoutInto('demo', 'app', v2, path.join(checkouts, 'v2'));
    assert.equal(await fs.readFile(path.join(checkouts, 'v2', 'index.html'), 'utf8'), 'v2');
    assert.equal(await fs.readFile(path.join(checkouts, 'v1', 'index.html'), 'utf8'), 'v1');

    // The key reaches ssh through the environment of each run, never through the repository's configuration.
    const config = await fs.readFile(path.join(dir, 'repos', 'demo', 'app.git', 'config'), 'utf8');
    assert.ok(!config.includes(keysDir) && !config.includes('id_ed25519'), config);
    for (const version of ['v1', 'v2']) {
      assert.deepEqual(await fs.readdir(path.join(checkouts, version)), ['index.html']);
    }
    // The shell never ran anything from the key's path.
    await assert.rejects(fs.access(path.join(os.homedir(), 'pwned')));
    await assert.rejects(fs.access(path.join(process.cwd(), 'pwned')));
  });

  it('reports a key the host refuses, without naming the key file', async () => {
    await remotes.push('demo', 'refused', { 'index.html': 'v1' });
    const repos = repositories('repos-stranger', strangerKey);
    // One after the other: a second rejection must not arrive before anyone awaits it.
    for (const attempt of [
      () => repos.head('demo', 'refused', 'main'),
      () => repos.fetch('demo', 'refused', 'main'),
    ]) {
      const err = await refusal(attempt());
      assert.match(
        err.reason,
        /could not fetch demo\/refused from ssh:\/\/.*: 127\.0\.0\.1:\d+ refused the SSH key/,
      );
      assert.match(err.reason, /GIT_DEPLOY_KEYS/);
      assertKeyHidden(err);
    }
    assert.deepEqual(await fs.readdir(path.join(dir, 'repos-stranger', 'demo')), []);
  });

  it('refuses a host whose key is not pinned, or pinned differently', async () => {
    await remotes.push('demo', 'pinned', { 'index.html': 'v1' });
    const empty = path.join(dir, 'known_hosts-empty');
    await fs.writeFile(empty, '');
    const other = path.join(dir, 'known_hosts-other');
    const otherHost = (await sshKeyPair(path.join(dir, 'other-host'))).publicKey;
    await fs.writeFile(other, `[127.0.0.1]:${sshd.port} ${otherHost}\n`);
    for (const knownHostsFile of [empty, other]) {
      const repos = repositories(`repos-${path.basename(knownHostsFile)}`, deployKey, knownHostsFile);
      const err = await refusal(repos.fetch('demo', 'pinned', 'main'));
      assert.match(err.reason, /the SSH host key of 127\.0\.0\.1:\d+ is unknown or has changed/);
      assertKeyHidden(err);
      assert.match(
        (await refusal(repos.head('demo', 'pinned', 'main'))).reason,
        /host key verification failed/,
      );
    }
  });
});
