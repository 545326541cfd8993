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

/** Every regular file below `dir`, by path relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

async function mode(file: string): Promise<string> {
  return ((await fs.stat(file)).mode & 0o777).toString(8);
}

/** The hooks git runs while fetching into a bare repository and checking a commit out of it. */
const HOOKS = ['reference-transaction', 'pre-auto-gc', 'post-checkout', 'post-index-change'];

describe('GitRepositories', () => {
  let root: string;
  let remotes: string;
  let work: string;
  let reposDir: string;
  /** Where the Worker keeps the bare repository of demo/app. */
  let bare: string;
  let checkouts: string;
  /** Hooks and commands that ran leave a file here. */
  let markers: string;
  let repos: GitRepositories;

  /** Creates a bare `${base}/${org}/${repo}.git` and a work tree that pushes to it. */
  async function makeRemote(base: string, org: string, repo: string): Promise<string> {
    const dir = path.join(base, org, `${repo}.git`);
    await fs.mkdir(dir, { recursive: true });
    git(dir, 'init', '--bare', '-q', '-b', 'main');
    return dir;
  }

  /** Commits everything in the work tree and pushes it to `branch`; returns the commit. */
  function pushWork(message: string, branch = 'main'): string {
    git(work, 'add', '--all');
    git(work, 'commit', '-q', '-m', message);
    git(work, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  }

  async function commit(file: string, content: string, branch = 'main'): Promise<string> {
    await fs.writeFile(path.join(work, file), content);
    return pushWork(`${file}: ${content}`, branch);
  }

  function checkoutDir(name: string): string {
    return path.join(checkouts, name);
  }

  /** An executable hook for each of HOOKS in `dir`, leaving `${prefix}${hook}` in the markers when it runs. */
  async function writeHooks(dir: string, prefix: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    for (const hook of HOOKS) {
      const marker = path.join(markers, `${prefix}${hook}`);
      await fs.writeFile(path.join(dir, hook), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    }
  }

  /**
   * Makes every fetch into the bare repository start `gc --auto` in the foreground, and so its pre-auto-gc hook:
   * each fetch keeps its own pack, and more than one pack is too many.
   */
  function provokeAutoGc(): void {
    for (const [key, value] of [
      ['fetch.unpackLimit', '1'],
      ['gc.autoPackLimit', '1'],
      ['gc.autoDetach', 'false'],
    ]) {
      git(root, `--git-dir=${bare}`, 'config', key, value);
    }
  }

  /** Two new commits, each fetched (updating refs, packing objects), then the last one checked out. */
  async function fetchTwiceAndCheckOut(using: GitRepositories, name: string): Promise<void> {
    await commit('index.html', `${name} 1`);
    await using.fetch('demo', 'app', 'main');
    const head = await commit('index.html', `${name} 2`);
    assert.equal(await using.fetch('demo', 'app', 'main'), head);
    const dir = checkoutDir(name);
    await using.checkoutInto('demo', 'app', head, dir);
    assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), `${name} 2`);
  }

  beforeEach(async () => {
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'td-git-')));
    remotes = path.join(root, 'remotes');
    work = path.join(root, 'work');
    reposDir = path.join(root, 'repos');
    bare = path.join(reposDir, 'demo', 'app.git');
    checkouts = path.join(root, 'checkouts');
    markers = path.join(root, 'markers');
    await fs.mkdir(checkouts);
    await fs.mkdir(markers);
    const remote = await makeRemote(remotes, 'demo', 'app');
    await fs.mkdir(work);
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'remote', 'add', 'origin', remote);
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

  it('fetches a branch into a bare repository and returns its head, leaving no temporary folder', async () => {
    const sha = await commit('index.html', 'v1');
    assert.equal(await repos.fetch('demo', 'app', 'main'), sha);
    assert.deepEqual(await fs.readdir(reposDir), ['demo']);
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), ['app.git']);
    assert.equal(git(root, `--git-dir=${bare}`, 'rev-parse', '--is-bare-repository'), 'true');
    assert.equal(git(root, `--git-dir=${bare}`, 'rev-parse', 'refs/heads/main'), sha);

    const dir = checkoutDir('v1');
    const before = (await fs.readdir(bare)).sort();
    await repos.checkoutInto('demo', 'app', sha, dir);
    assert.deepEqual(await fs.readdir(dir), ['index.html']);
    assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'v1');
    // The checkout's own index is gone with it.
    assert.deepEqual((await fs.readdir(bare)).sort(), before);
  });

  it('fetches the new head on the next fetch, into the same bare repository', async () => {
    await commit('index.html', 'v1');
    await repos.fetch('demo', 'app', 'main');
    const sha2 = await commit('index.html', 'v2');
    assert.equal(await repos.fetch('demo', 'app', 'main'), sha2);
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), ['app.git']);
    const dir = checkoutDir('v2');
    await repos.checkoutInto('demo', 'app', sha2, dir);
    assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'v2');
  });

  it('checks two commits out into independent directories without .git, unaffected by edits to earlier ones', async () => {
    const v1 = await commit('index.html', 'v1');
    const v2 = await commit('index.html', 'v2');
    assert.equal(await repos.fetch('demo', 'app', 'main'), v2);
    const [first, second, again] = [checkoutDir('first'), checkoutDir('second'), checkoutDir('again')];
    await repos.checkoutInto('demo', 'app', v1, first);
    await repos.checkoutInto('demo', 'app', v2, second);
    assert.deepEqual(await fs.readdir(first), ['index.html']);
    assert.deepEqual(await fs.readdir(second), ['index.html']);
    assert.equal(await fs.readFile(path.join(first, 'index.html'), 'utf8'), 'v1');
    assert.equal(await fs.readFile(path.join(second, 'index.html'), 'utf8'), 'v2');

    // What a deployed project does to its checkout stays in that checkout.
    await fs.writeFile(path.join(first, 'index.html'), 'edited in place');
    await fs.writeFile(path.join(first, 'data.sqlite'), 'written by the service');
    await repos.checkoutInto('demo', 'app', v1, again);
    assert.deepEqual(await fs.readdir(again), ['index.html']);
    assert.equal(await fs.readFile(path.join(again, 'index.html'), 'utf8'), 'v1');
    assert.equal(await fs.readFile(path.join(second, 'index.html'), 'utf8'), 'v2');
  });

  it('refuses to check out into a directory that exists, leaving it as it was', async () => {
    const sha = await commit('index.html', 'v1');
    await repos.fetch('demo', 'app', 'main');
    const existing = checkoutDir('existing');
    await fs.mkdir(existing);
    await fs.writeFile(path.join(existing, 'index.html'), 'not from git');
    await assert.rejects(repos.checkoutInto('demo', 'app', sha, existing));
    assert.deepEqual(await fs.readdir(existing), ['index.html']);
    assert.equal(await fs.readFile(path.join(existing, 'index.html'), 'utf8'), 'not from git');
  });

  it('reports a commit it does not have as one it could not check out', async () => {
    await commit('index.html', 'v1');
    await repos.fetch('demo', 'app', 'main');
    const unknown = 'f'.repeat(40);
    const err = await rejection(repos.checkoutInto('demo', 'app', unknown, checkoutDir('unknown')));
    assert.match(err.reason, new RegExp(`^could not check out ${unknown} of demo/app: `));
  });

  describe('rollbacks', () => {
    it('returns an older commit of the branch, and checks it out', async () => {
      const v1 = await commit('index.html', 'v1');
      const v2 = await commit('index.html', 'v2');
      assert.equal(await repos.fetch('demo', 'app', 'main', v1), v1);
      const dir = checkoutDir('rollback');
      await repos.checkoutInto('demo', 'app', v1, dir);
      assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'v1');
      assert.equal(await repos.fetch('demo', 'app', 'main', v2), v2);
    });

    it('refuses a commit that a force-push took out of the branch', async () => {
      const v1 = await commit('index.html', 'v1');
      const v2 = await commit('index.html', 'v2');
      assert.equal(await repos.fetch('demo', 'app', 'main'), v2);
      git(work, 'reset', '-q', '--hard', v1);
      await fs.writeFile(path.join(work, 'index.html'), 'v3');
      git(work, 'commit', '-q', '-am', 'v3');
      git(work, 'push', '-q', '--force', 'origin', 'HEAD:refs/heads/main');
      // The bare repository still has v2's objects from the first fetch: only the branch's history counts.
      const err = await rejection(repos.fetch('demo', 'app', 'main', v2));
      assert.equal(err.reason, `commit ${v2} is not in the history of demo/app any more`);
      assert.equal(await repos.fetch('demo', 'app', 'main', v1), v1);
    });

    it('refuses a commit of another branch, an unrelated one and one that does not exist', async () => {
      await commit('index.html', 'v1');
      git(work, 'checkout', '-q', '-b', 'feature');
      const feature = await commit('index.html', 'feature', 'feature');
      git(work, 'checkout', '-q', '--orphan', 'unrelated');
      const unrelated = await commit('index.html', 'unrelated', 'unrelated');
      assert.equal(await repos.fetch('demo', 'app', 'feature'), feature);
      assert.equal(await repos.fetch('demo', 'app', 'unrelated'), unrelated);
      git(work, 'checkout', '-q', 'main');
      const main = await commit('index.html', 'v2');
      for (const stranger of [feature, unrelated, '0'.repeat(40)]) {
        const err = await rejection(repos.fetch('demo', 'app', 'main', stranger));
        assert.equal(err.reason, `commit ${stranger} is not in the history of demo/app any more`);
      }
      assert.equal(await repos.fetch('demo', 'app', 'main'), main);
    });

    it('rolls back to a commit of the branch as last fetched while the remote is gone, and refuses others', async () => {
      const v1 = await commit('index.html', 'v1');
      const v2 = await commit('index.html', 'v2');
      assert.equal(await repos.fetch('demo', 'app', 'main'), v2);
      await fs.rename(path.join(remotes, 'demo', 'app.git'), path.join(remotes, 'demo', 'app.git-gone'));
      assert.equal(await repos.fetch('demo', 'app', 'main', v1), v1);
      await rejection(repos.fetch('demo', 'app', 'main'));
      await rejection(repos.fetch('demo', 'app', 'other-branch', v1));
    });

    it('refuses a rollback to something that is not a full commit id before git sees it', async () => {
      await commit('index.html', 'v1');
      for (const commit of ['HEAD~1', '--upload-pack=touch /tmp/pwned', 'abc']) {
        assert.match(
          (await rejection(repos.fetch('demo', 'app', 'main', commit))).reason,
          /is not a full commit id/,
        );
        await assert.rejects(
          repos.checkoutInto('demo', 'app', commit, checkoutDir('bad')),
          /is not a full commit id/,
        );
      }
      await assert.rejects(fs.access(reposDir));
    });
  });

  it('fetches a branch whose name a removed branch blocked (a/b after a, and a after a/b)', async () => {
    await commit('index.html', 'v1');
    const a = await commit('index.html', 'a', 'a');
    assert.equal(await repos.fetch('demo', 'app', 'a'), a);
    git(work, 'push', '-q', 'origin', ':refs/heads/a');
    const ab = await commit('index.html', 'a/b', 'a/b');
    assert.equal(await repos.fetch('demo', 'app', 'a/b'), ab);
    git(work, 'push', '-q', 'origin', ':refs/heads/a/b');
    const again = await commit('index.html', 'a again', 'a');
    assert.equal(await repos.fetch('demo', 'app', 'a'), again);
  });

  it('fetches a branch with a slash, and a tag of the same name does not shadow it', async () => {
    await commit('index.html', 'v1');
    const featureSha = await commit('index.html', 'feature', 'feature/x');
    await repos.fetch('demo', 'app', 'main');
    git(work, 'tag', 'main', git(work, 'rev-list', '--max-parents=0', 'HEAD'));
    git(work, 'push', '-q', 'origin', 'refs/tags/main');
    const mainSha = await commit('index.html', 'v2');
    assert.equal(await repos.fetch('demo', 'app', 'main'), mainSha);
    assert.equal(await repos.fetch('demo', 'app', 'feature/x'), featureSha);
    const dir = checkoutDir('feature');
    await repos.checkoutInto('demo', 'app', featureSha, dir);
    assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'feature');
  });

  it('serialises concurrent fetches and checkouts of the same repository', async () => {
    const sha = await commit('index.html', 'v1');
    const results = await Promise.all([1, 2, 3].map(() => repos.fetch('demo', 'app', 'main')));
    assert.deepEqual(results, [sha, sha, sha]);
    const dirs = ['a', 'b', 'c'].map(checkoutDir);
    await Promise.all(dirs.map((dir) => repos.checkoutInto('demo', 'app', sha, dir)));
    for (const dir of dirs) assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'v1');
  });

  it('keeps one bare repository for names that differ only in case', async () => {
    const sha = await commit('index.html', 'v1');
    // So that the remote answers to both spellings, as GitHub does.
    await fs.symlink('demo', path.join(remotes, 'Demo'));
    await fs.symlink('app.git', path.join(remotes, 'demo', 'App.git'));
    const results = await Promise.all([
      repos.fetch('Demo', 'App', 'main'),
      repos.fetch('demo', 'app', 'main'),
    ]);
    assert.deepEqual(results, [sha, sha]);
    assert.deepEqual(await fs.readdir(reposDir), ['demo']);
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), ['app.git']);
  });

  it('reports a missing repository and leaves nothing behind', async () => {
    const err = await rejection(repos.fetch('demo', 'nope', 'main'));
    const expected = `repository demo/nope not found or not reachable at file://${remotes}/demo/nope.git`;
    assert.ok(
      err.reason.includes(expected),
      `reason ${JSON.stringify(err.reason)} lacks ${JSON.stringify(expected)}`,
    );
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), []);
  });

  it('reports a missing branch on the first fetch and on a later one', async () => {
    const sha = await commit('index.html', 'v1');
    assert.equal(
      (await rejection(repos.fetch('demo', 'app', 'nope'))).reason,
      'branch nope not found in demo/app',
    );
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'demo')), []);
    await repos.fetch('demo', 'app', 'main');
    assert.equal(
      (await rejection(repos.fetch('demo', 'app', 'nope'))).reason,
      'branch nope not found in demo/app',
    );
    // A failed fetch into an existing bare repository keeps what it had.
    assert.equal(git(root, `--git-dir=${bare}`, 'rev-parse', 'refs/heads/main'), sha);
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
      await rejection(repos.fetch(org, repo, 'main'));
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
      await rejection(repos.fetch('demo', 'app', branch));
      await assert.rejects(fs.access(reposDir));
    });
  }

  it('uses the per-organisation base URL', async () => {
    const otherRemotes = path.join(root, 'other-remotes');
    const remote = await makeRemote(otherRemotes, 'acme', 'site');
    git(work, 'remote', 'set-url', 'origin', remote);
    const sha = await commit('index.html', 'acme');
    const multi = new GitRepositories({
      reposDir,
      baseUrl: `file://${remotes}`,
      orgBaseUrls: { acme: `file://${otherRemotes}` },
    });
    assert.equal(await multi.fetch('acme', 'site', 'main'), sha);
    assert.deepEqual(await fs.readdir(path.join(reposDir, 'acme')), ['site.git']);
    // acme/site does not exist under the default base
    await rejection(
      new GitRepositories({ reposDir, baseUrl: `file://${remotes}` }).fetch('acme', 'site', 'main'),
    );
  });

  describe('modes and links of a checkout', () => {
    it('gives files and directories the modes of a normal clone even under the umask 077', async () => {
      await fs.mkdir(path.join(work, 'sub'));
      await fs.writeFile(path.join(work, 'index.html'), 'page');
      await fs.writeFile(path.join(work, 'sub', 'style.css'), 'style');
      await fs.writeFile(path.join(work, 'run.sh'), '#!/bin/sh\n');
      await fs.chmod(path.join(work, 'run.sh'), 0o755);
      const sha = pushWork('modes');
      await repos.fetch('demo', 'app', 'main');
      const dir = checkoutDir('modes');
      const previous = process.umask(0o077);
      try {
        await repos.checkoutInto('demo', 'app', sha, dir);
      } finally {
        process.umask(previous);
      }
      assert.deepEqual(
        {
          dir: await mode(dir),
          sub: await mode(path.join(dir, 'sub')),
          file: await mode(path.join(dir, 'index.html')),
          nested: await mode(path.join(dir, 'sub', 'style.css')),
          executable: await mode(path.join(dir, 'run.sh')),
        },
        { dir: '755', sub: '755', file: '644', nested: '644', executable: '755' },
      );
    });

    it('checks a committed symlink out as a symlink, never as what it points at', async () => {
      const outside = path.join(root, 'outside');
      await fs.mkdir(outside);
      await fs.writeFile(path.join(outside, 'secret'), 'host secret');
      const links: Record<string, string> = {
        'latest.html': 'index.html',
        secret: path.join(outside, 'secret'),
        'outside-dir': outside,
      };
      await fs.writeFile(path.join(work, 'index.html'), 'page');
      for (const [name, target] of Object.entries(links)) await fs.symlink(target, path.join(work, name));
      const sha = pushWork('links');
      await repos.fetch('demo', 'app', 'main');
      const dir = checkoutDir('links');
      await repos.checkoutInto('demo', 'app', sha, dir);
      for (const [name, target] of Object.entries(links)) {
        assert.ok((await fs.lstat(path.join(dir, name))).isSymbolicLink(), `${name} is not a symlink`);
        assert.equal(await fs.readlink(path.join(dir, name)), target);
      }
      assert.deepEqual(await fs.readdir(outside), ['secret']);
      assert.equal(await fs.readFile(path.join(outside, 'secret'), 'utf8'), 'host secret');
    });
  });

  describe('git runs nothing that a configuration file names', () => {
    it("never runs the bare repository's hooks or its core.fsmonitor", async () => {
      await commit('index.html', 'v1');
      await repos.fetch('demo', 'app', 'main');
      await writeHooks(path.join(bare, 'hooks'), 'hooks-');
      const fsmonitor = path.join(markers, 'fsmonitor');
      git(root, `--git-dir=${bare}`, 'config', 'core.fsmonitor', `touch '${fsmonitor}'; false`);
      provokeAutoGc();
      await fetchTwiceAndCheckOut(repos, 'hooked');
      assert.deepEqual(await fs.readdir(markers), []);
    });

    it("never runs hooks from a core.hooksPath in the bare repository's config", async () => {
      await commit('index.html', 'v1');
      await repos.fetch('demo', 'app', 'main');
      const hooksPath = path.join(root, 'hooks-path');
      await writeHooks(hooksPath, 'hooksPath-');
      git(root, `--git-dir=${bare}`, 'config', 'core.hooksPath', hooksPath);
      provokeAutoGc();
      await fetchTwiceAndCheckOut(repos, 'hooksPath');
      assert.deepEqual(await fs.readdir(markers), []);
    });

    it("ignores the global configuration in the Worker's HOME, and the ext:: protocol it allows", async () => {
      const home = path.join(root, 'home');
      const hooksPath = path.join(root, 'global-hooks');
      await writeHooks(hooksPath, 'global-');
      await fs.mkdir(home);
      await fs.writeFile(path.join(home, 'attributes'), '* filter=marker\n');
      await fs.writeFile(
        path.join(home, '.gitconfig'),
        [
          '[core]',
          `\thooksPath = ${hooksPath}`,
          // No ";" in these values: it would start a comment.
          `\tfsmonitor = touch '${path.join(markers, 'global-fsmonitor')}' && false`,
          `\tattributesFile = ${path.join(home, 'attributes')}`,
          // A filter runs a command on every file checked out; only the global configuration names this one.
          '[filter "marker"]',
          `\tsmudge = touch '${path.join(markers, 'global-smudge')}' && cat`,
          '[protocol "ext"]',
          '\tallow = always',
          '',
        ].join('\n'),
      );
      const worker = process.env.HOME;
      let homed: GitRepositories;
      let ext: GitRepositories;
      // The environment is taken at construction; the test's own git commands must not see this HOME.
      process.env.HOME = home;
      try {
        homed = new GitRepositories({ reposDir, baseUrl: `file://${remotes}` });
        // ext:: splits its command at spaces ("% " is one), and "#" makes sh ignore the "/demo/app.git" appended.
        ext = new GitRepositories({
          reposDir: path.join(root, 'repos-ext'),
          baseUrl: `ext::sh -c touch% ${path.join(markers, 'ext')}% #`,
        });
      } finally {
        if (worker === undefined) delete process.env.HOME;
        else process.env.HOME = worker;
      }
      await fetchTwiceAndCheckOut(homed, 'global');
      await rejection(ext.fetch('demo', 'app', 'main'));
      assert.deepEqual(await fs.readdir(markers), []);
    });
  });

  describe('private repositories over smart HTTP', () => {
    it('fetches with the credentials of the configured URL, keeping them out of the repository and of messages', async () => {
      const sha = await commit('index.html', 'private v1');
      const { server, port, seen } = await privateGitServer(remotes, 'reader:s3cret-token');
      try {
        const privateRepos = new GitRepositories({
          reposDir,
          baseUrl: `http://reader:s3cret-token@127.0.0.1:${port}`,
        });
        assert.equal(await privateRepos.head('demo', 'app', 'main'), sha);
        assert.equal(await privateRepos.fetch('demo', 'app', 'main'), sha);
        const sha2 = await commit('index.html', 'private v2');
        assert.equal(await privateRepos.fetch('demo', 'app', 'main'), sha2);
        const dir = checkoutDir('private');
        await privateRepos.checkoutInto('demo', 'app', sha2, dir);
        assert.equal(await fs.readFile(path.join(dir, 'index.html'), 'utf8'), 'private v2');
        assert.ok(seen.some((request) => request.authorization?.startsWith('Basic ')));

        // The URL is given on each fetch's command line: the bare repository has no remote to remember it by.
        const config = await fs.readFile(path.join(bare, 'config'), 'utf8');
        assert.ok(!config.includes('s3cret'), config);
        assert.doesNotMatch(config, /\burl\s*=/);
        for (const [base, files] of [
          [bare, await filesUnder(bare)],
          [dir, await filesUnder(dir)],
        ] as const) {
          for (const file of files) {
            const content = await fs.readFile(path.join(base, file));
            assert.ok(!content.includes('s3cret'), `${path.join(base, file)} holds the token`);
          }
        }

        const wrongDir = `${reposDir}-2`;
        const wrong = new GitRepositories({
          reposDir: wrongDir,
          baseUrl: `http://reader:wrong-token@127.0.0.1:${port}`,
        });
        const err = await rejection(wrong.fetch('demo', 'app', 'main'));
        assert.ok(!err.message.includes('wrong-token'), err.message);
        assert.ok(!String(err.stack).includes('wrong-token'), String(err.stack));
        assert.deepEqual(await fs.readdir(path.join(wrongDir, 'demo')), []);
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
      const err = await rejection(anon.fetch('demo', 'private', 'main'));
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
      const err = await rejection(withToken.fetch('demo', 'private', 'main'));
      const clean = `at http://127.0.0.1:${port}/demo/private.git`;
      assert.ok(err.reason.includes(clean), `reason ${JSON.stringify(err.reason)} lacks ${clean}`);
      assert.ok(!err.message.includes('s3cret'), `message ${JSON.stringify(err.message)} leaks the token`);
      assert.ok(!String(err.stack).includes('s3cret'), `stack ${JSON.stringify(err.stack)} leaks the token`);
    });
  });
});
