import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { privateGitServer } from '../../../../test/support/git-http';
import { GitRepositories, GitSourceError } from './git-repositories';

const identity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...identity }, encoding: 'utf8' }).trim();
}

async function rejection(promise: Promise<unknown>): Promise<GitSourceError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof GitSourceError, `expected a GitSourceError, got ${String(err)}`);
  return err as GitSourceError;
}

describe('GitRepositories', () => {
  let root: string;
  let remotes: string;
  let work: string;
  let reposDir: string;
  let repos: GitRepositories;

  /** Creates a bare `${base}/${org}/${repo}.git` and a work tree that pushes to it. */
  async function makeRemote(base: string, org: string, repo: string): Promise<string> {
    const bare = path.join(base, org, `${repo}.git`);
    await fs.mkdir(bare, { recursive: true });
    git(bare, 'init', '--bare', '-q', '-b', 'main');
    return bare;
  }

  async function commit(file: string, content: string, branch = 'main'): Promise<string> {
    await fs.writeFile(path.join(work, file), content);
    git(work, 'add', file);
    git(work, 'commit', '-q', '-m', `${file}: ${content}`);
    git(work, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  }

  beforeEach(async () => {
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'td-git-')));
    remotes = path.join(root, 'remotes');
    work = path.join(root, 'work');
    reposDir = path.join(root, 'repos');
    const bare = await makeRemote(remotes, 'demo', 'app');
    await fs.mkdir(work);
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'remote', 'add', 'origin', bare);
    repos = new GitRepositories({ reposDir, baseUrl: `file://${remotes}/` });
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('builds repository URLs, trimming the trailing slash of the base', () => {
    assert.equal(repos.repositoryUrl('demo', 'app'), `file://${remotes}/demo/app.git`);
    const multi = new GitRepositories({
      reposDir,
      baseUrl: 'https://github.com//',
      orgBaseUrls: { other: 'https://x:token@git.example/' },
    });
    assert.equal(multi.repositoryUrl('demo', 'my.app_1-x'), 'https://github.com/demo/my.app_1-x.git');
    assert.equal(multi.repositoryUrl('other', 'app'), 'https://x:token@git.example/other/app.git');
    // not inherited from Object.prototype
    assert.equal(multi.repositoryUrl('constructor', 'app'), 'https://github.com/constructor/app.git');
  });

  it('reads a branch head from the remote without cloning, and names a branch that does not exist', async () => {
    const sha = await commit('index.html', 'v1');
    assert.equal(await repos.head('demo', 'app', 'main'), sha);
    assert.deepEqual(await fs.readdir(reposDir), []);
    await assert.rejects(repos.head('demo', 'app', 'nope'), /branch "nope" does not exist in demo\/app/);
    await assert.rejects(repos.head('demo', 'missing', 'main'), GitSourceError);
  });

  it('clones a branch and returns its head commit, leaving no temporary folder', async () => {
    const sha = await commit('index.html', 'v1');
    const result = await repos.checkout('demo', 'app', 'main');
    assert.deepEqual(result, { dir: path.join(reposDir, 'demo', 'app'), commit: sha });
    assert.equal(await fs.readFile(path.join(result.dir, 'index.html'), 'utf8'), 'v1');
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), ['app']);
  });

  it('updates an existing clone to the new head, keeping untracked files and undoing local edits', async () => {
    await commit('index.html', 'v1');
    const { dir } = await repos.checkout('demo', 'app', 'main');
    await fs.mkdir(path.join(dir, 'data'));
    await fs.writeFile(path.join(dir, 'data', 'db.sqlite'), 'precious');
    await fs.writeFile(path.join(dir, 'index.html'), 'edited in place');

    const sha2 = await commit('index.html', 'v2');
    const second = await repos.checkout('demo', 'app', 'main');
    assert.deepEqual(second, { dir, commit: sha2 });
    assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'v2');
    assert.equal(await fs.readFile(path.join(dir, 'data', 'db.sqlite'), 'utf8'), 'precious');
  });

  it('checks out a branch with a slash, and a tag of the same name does not shadow it', async () => {
    await commit('index.html', 'v1');
    const featureSha = await commit('index.html', 'feature', 'feature/x');
    await repos.checkout('demo', 'app', 'main');
    git(work, 'tag', 'main', git(work, 'rev-list', '--max-parents=0', 'HEAD'));
    git(work, 'push', '-q', 'origin', 'refs/tags/main');
    const mainSha = await commit('index.html', 'v2');
    assert.equal((await repos.checkout('demo', 'app', 'main')).commit, mainSha);
    assert.equal((await repos.checkout('demo', 'app', 'feature/x')).commit, featureSha);
  });

  it('serialises concurrent checkouts of the same repository', async () => {
    const sha = await commit('index.html', 'v1');
    const results = await Promise.all([1, 2, 3].map(() => repos.checkout('demo', 'app', 'main')));
    assert.deepEqual(
      results.map((r) => r.commit),
      [sha, sha, sha],
    );
  });

  it('reports a missing repository and leaves nothing behind', async () => {
    const err = await rejection(repos.checkout('demo', 'nope', 'main'));
    const expected = `repository demo/nope not found or not reachable at file://${remotes}/demo/nope.git`;
    assert.ok(
      err.reason.includes(expected),
      `reason ${JSON.stringify(err.reason)} lacks ${JSON.stringify(expected)}`,
    );
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), []);
  });

  it('reports a missing branch on first clone and on update', async () => {
    await commit('index.html', 'v1');
    assert.equal(
      (await rejection(repos.checkout('demo', 'app', 'nope'))).reason,
      'branch nope not found in demo/app',
    );
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), []);
    await repos.checkout('demo', 'app', 'main');
    assert.equal(
      (await rejection(repos.checkout('demo', 'app', 'nope'))).reason,
      'branch nope not found in demo/app',
    );
  });

  for (const [org, repo] of [
    ['-x', 'app'],
    ['a_b', 'app'],
    ['a'.repeat(40), 'app'],
    ['', 'app'],
    ['demo', ''],
    ['demo', '.'],
    ['demo', '..'],
    ['demo', 'app.git'],
    ['demo', 'a/b'],
    ['demo', 'a b'],
    ['demo', 'x'.repeat(101)],
  ]) {
    it(`rejects org ${JSON.stringify(org)} / repo ${JSON.stringify(repo)}`, async () => {
      await rejection(repos.checkout(org, repo, 'main'));
      assert.throws(() => repos.repositoryUrl(org, repo), GitSourceError);
      await assert.rejects(fs.access(reposDir));
    });
  }

  for (const branch of [
    '',
    '-x',
    '--upload-pack=touch /tmp/pwned',
    'HEAD',
    '@',
    'a..b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a\tb',
    'a@{1}',
    '/a',
    'a/',
    'a//b',
    '.a',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
    'a.',
  ]) {
    it(`rejects branch ${JSON.stringify(branch)}`, async () => {
      await rejection(repos.checkout('demo', 'app', branch));
      await assert.rejects(fs.access(reposDir));
    });
  }

  it('uses the per-organisation base URL', async () => {
    const otherRemotes = path.join(root, 'other-remotes');
    const bare = await makeRemote(otherRemotes, 'acme', 'site');
    git(work, 'remote', 'set-url', 'origin', bare);
    const sha = await commit('index.html', 'acme');
    const multi = new GitRepositories({
      reposDir,
      baseUrl: `file://${remotes}`,
      orgBaseUrls: { acme: `file://${otherRemotes}` },
    });
    assert.deepEqual(await multi.checkout('acme', 'site', 'main'), {
      dir: path.join(reposDir, 'acme', 'site'),
      commit: sha,
    });
    // demo still comes from the default base, where acme/site does not exist
    await rejection(
      new GitRepositories({ reposDir, baseUrl: `file://${remotes}` }).checkout('acme', 'site', 'main'),
    );
  });

  describe('private repositories over smart HTTP', () => {
    it('fetches with the credentials of the configured URL, keeping them out of the clone and of messages', async () => {
      const sha = await commit('index.html', 'private v1');
      const { server, port, seen } = await privateGitServer(remotes, 'reader:s3cret-token');
      try {
        const privateRepos = new GitRepositories({
          reposDir,
          baseUrl: `http://reader:s3cret-token@127.0.0.1:${port}`,
        });
        assert.equal(await privateRepos.head('demo', 'app', 'main'), sha);
        const { dir, commit: cloned } = await privateRepos.checkout('demo', 'app', 'main');
        assert.equal(cloned, sha);
        const sha2 = await commit('index.html', 'private v2');
        assert.equal((await privateRepos.checkout('demo', 'app', 'main')).commit, sha2);
        // A service may bind-mount its repository: nothing in it may hold the token.
        const config = await fs.readFile(path.join(dir, '.git', 'config'), 'utf8');
        assert.ok(!config.includes('s3cret'), config);
        assert.match(config, new RegExp(`url = http://127\\.0\\.0\\.1:${port}/demo/app\\.git`));
        assert.ok(seen.some((request) => request.authorization?.startsWith('Basic ')));

        const wrong = new GitRepositories({
          reposDir: `${reposDir}-2`,
          baseUrl: `http://reader:wrong-token@127.0.0.1:${port}`,
        });
        const err = await rejection(wrong.checkout('demo', 'app', 'main'));
        assert.ok(!err.message.includes('wrong-token'), err.message);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('over http', () => {
    let server: http.Server;
    let port: number;

    beforeEach(async () => {
      // Asks every request for credentials: git must give up instead of prompting.
      server = http.createServer((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('fails fast without prompting when credentials are wanted', { timeout: 15_000 }, async () => {
      const anon = new GitRepositories({ reposDir, baseUrl: `http://127.0.0.1:${port}` });
      const err = await rejection(anon.checkout('demo', 'private', 'main'));
      assert.ok(
        err.reason.includes('repository demo/private not found or not reachable'),
        `reason ${JSON.stringify(err.reason)} does not say the repository is unreachable`,
      );
      // git's own words for GIT_TERMINAL_PROMPT=0 having stopped it from asking
      assert.ok(
        err.reason.includes('terminal prompts disabled'),
        `reason ${JSON.stringify(err.reason)} does not say terminal prompts are disabled`,
      );
    });

    it('never puts credentials from the URL into the reason', { timeout: 15_000 }, async () => {
      const withToken = new GitRepositories({
        reposDir,
        baseUrl: `http://user:s3cret-token@127.0.0.1:${port}`,
      });
      const err = await rejection(withToken.checkout('demo', 'private', 'main'));
      const clean = `at http://127.0.0.1:${port}/demo/private.git`;
      assert.ok(err.reason.includes(clean), `reason ${JSON.stringify(err.reason)} lacks ${clean}`);
      assert.ok(!err.message.includes('s3cret'), `message ${JSON.stringify(err.message)} leaks the token`);
      assert.ok(!String(err.stack).includes('s3cret'), `stack ${JSON.stringify(err.stack)} leaks the token`);
    });
  });
});
