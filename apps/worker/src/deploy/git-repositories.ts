import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { simpleGit, type SimpleGit } from 'simple-git';
import { branchNameProblem, orgNameProblem, repoNameProblem } from '@testausdeploy/domain';
import { errorText, gitDetail, gitEnvironment, isTimeout, redact } from './git-output';
import { isSshUrl, sshCommand, sshRefusal } from './git-ssh';
import { KeyedLock } from '@testausdeploy/service';

/** A repository, branch or commit could not be used; `reason` is safe to show the user (no credentials). */
export class GitSourceError extends Error {
  override readonly name = 'GitSourceError';

  constructor(readonly reason: string) {
    super(reason);
  }
}

const run = promisify(execFile);

export interface GitRepositoriesOptions {
  /**
   * One bare repository per org/repo is kept below this directory (`<org>/<repo>.git`, lowercased): git's own
   * data, which no checkout, and so no container, ever contains.
   */
  reposDir: string;
  /** e.g. `https://github.com`; repositories are `${baseUrl}/${org}/${repo}.git`. */
  baseUrl: string;
  /** Per-organisation base URL, e.g. one carrying that org's access token. */
  orgBaseUrls?: Record<string, string>;
  /**
   * Private SSH key files by `org` or `org/repo` (the more specific wins), offered to `ssh://` remotes. The
   * paths stay out of every message: each is replaced by "the deploy key".
   */
  deployKeys?: Record<string, string>;
  /** known_hosts file pinning the SSH hosts' keys; an `ssh://` host whose key is not in it is refused. */
  knownHostsFile?: string;
  /** A git command silent for this long is killed; defaults to 10 minutes. */
  timeoutMs?: number;
}

/**
 * A repository's fetch URL without credentials, the Authorization header value those give, if any, and how git
 * gets them: a configuration entry (the header) or the environment (the ssh command with the deploy key).
 */
interface Remote {
  url: string;
  auth: string | null;
  config: Record<string, string>;
  env: Record<string, string>;
}

/** Configuration entries as git reads them from its environment (`GIT_CONFIG_COUNT`, `_KEY_<n>`, `_VALUE_<n>`). */
function configEnvironment(entries: Record<string, string>): Record<string, string> {
  const pairs = Object.entries(entries);
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Commits come from recorded events: a full hexadecimal object name, never anything git could take as an option. */
function commitProblem(commit: string): string | undefined {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit) ? undefined : `"${commit}" is not a full commit id`;
}

function assertValid(problem: string | undefined): void {
  if (problem) throw new GitSourceError(problem);
}

/**
 * git's configuration on every run: no hooks and no fsmonitor, whatever a configuration file says, and no system
 * or global configuration at all. A repository's git data is never inside a checkout, so nothing a deployed
 * project writes can reach it, and its own configuration is the one `git init` wrote: git has nothing to run
 * but itself (no hook, fsmonitor, filter or remote helper is configured anywhere it reads).
 */
const HARDENED_CONFIG: Record<string, string> = {
  'core.hooksPath': '/dev/null',
  'core.fsmonitor': 'false',
  'protocol.ext.allow': 'never',
};

/**
 * Fetches deployed repositories into bare repositories in one central directory, one per org/repo, and checks a
 * commit out into a fresh directory of its own (each deployment attempt gets one: see ProjectCheckouts).
 */
export class GitRepositories {
  private readonly reposDir: string;
  private readonly baseUrl: string;
  private readonly orgBaseUrls: Record<string, string>;
  private readonly deployKeys: Record<string, string>;
  private readonly knownHostsFile: string | undefined;
  private readonly timeoutMs: number;
  /** The environment of every git run: the Worker's own without git's variables, and the hardened config. */
  private readonly env: Record<string, string> = {
    ...gitEnvironment(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...configEnvironment(HARDENED_CONFIG),
  };
  /** Serialises work on one bare repository: two fetches of it would race for its refs. */
  private readonly busy = new KeyedLock();

  constructor(options: GitRepositoriesOptions) {
    this.reposDir = path.resolve(options.reposDir);
    this.baseUrl = options.baseUrl;
    this.orgBaseUrls = options.orgBaseUrls ?? {};
    this.deployKeys = options.deployKeys ?? {};
    this.knownHostsFile = options.knownHostsFile;
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
  }

  repositoryUrl(org: string, repo: string): string {
    assertValid(orgNameProblem(org));
    assertValid(repoNameProblem(repo));
    // hasOwn: an org named "constructor" must not pick up Object.prototype.constructor as its base URL.
    const base = Object.hasOwn(this.orgBaseUrls, org) ? this.orgBaseUrls[org] : this.baseUrl;
    return `${base.replace(/\/+$/, '')}/${org}/${repo}.git`;
  }

  /** The Authorization header value the configured URL's credentials give (for the GitHub API too), or null. */
  authorization(org: string, repo: string): string | null {
    return this.remote(org, repo).auth;
  }

  /**
   * Where git fetches from, with the credentials a configured URL carries (`https://user:TOKEN@host`) taken out
   * of it: they go to git as an HTTP header in its environment, so they are neither in the bare repository's
   * configuration nor in any process's arguments.
   * An `ssh://` remote keeps its user name and gets the deploy key through `GIT_SSH_COMMAND` instead.
   */
  private remote(org: string, repo: string): Remote {
    const configured = this.repositoryUrl(org, repo);
    if (isSshUrl(configured)) {
      const keyFile = this.deployKey(org, repo);
      const command = sshCommand({ keyFile, knownHostsFile: this.knownHostsFile });
      return { url: configured, auth: null, config: {}, env: { GIT_SSH_COMMAND: command } };
    }
    const parsed = URL.canParse(configured) ? new URL(configured) : null;
    if (!parsed || (!parsed.username && !parsed.password))
      return { url: configured, auth: null, config: {}, env: {} };
    const user = decodeURIComponent(parsed.username);
    const auth = `Basic ${Buffer.from(`${user}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    return {
      url: parsed.toString(),
      auth,
      config: { 'http.extraHeader': `Authorization: ${auth}` },
      env: {},
    };
  }

  private deployKey(org: string, repo: string): string | undefined {
    for (const name of [`${org}/${repo}`, org]) {
      if (Object.hasOwn(this.deployKeys, name)) return this.deployKeys[name];
    }
    return undefined;
  }

  /**
   * Fetches `branch` into the repository's bare repository and returns its head, or `commit` (a rollback) after
   * checking that it is still in the branch's history. `Site` and `site` are one repository (GitHub's names
   * are case-insensitive): one bare repository, one lock.
   */
  async fetch(org: string, repo: string, branch: string, commit?: string): Promise<string> {
    const remote = this.remote(org, repo);
    assertValid(branchNameProblem(branch));
    if (commit !== undefined) assertValid(commitProblem(commit));
    const dir = this.gitDir(org, repo);
    const ref = `refs/heads/${branch}`;
    return this.busy.run(dir, async () => {
      const created = await this.ensureBare(dir);
      const git = this.git(dir, remote);
      await this.dropConflictingRefs(git, ref);
      try {
        // refs/heads/ so a tag of the same name is never picked instead of the branch; kept as a branch of the
        // bare repository, so what it reaches stays (a rollback pins an older commit of it).
        await git.raw(['fetch', '--no-tags', '--force', remote.url, `+${ref}:${ref}`]);
      } catch (err) {
        // A repository that could not be fetched the first time leaves nothing behind.
        if (created) await fs.rm(dir, { recursive: true, force: true });
        // A rollback to a commit of the branch as last fetched needs no remote: one is often wanted because the
        // git host is down or the branch was deleted.
        if (!commit || created || !(await this.tip(git, ref))) {
          throw this.remoteFailure(err, org, repo, remote.url, branch);
        }
      }
      const head = await this.tip(git, ref);
      if (!commit) return head;
      // simple-git takes a silent non-zero exit for success, so `--is-ancestor` cannot answer: the merge base
      // of an ancestor and the head is the ancestor itself.
      const base = await git.raw(['merge-base', commit, head]).catch(() => '');
      if (base.trim() !== commit) {
        throw new GitSourceError(`commit ${commit} is not in the history of ${org}/${repo} any more`);
      }
      return commit;
    });
  }

  /** The commit `ref` points at in the bare repository, or '' if it has no such branch. */
  private async tip(git: SimpleGit, ref: string): Promise<string> {
    return (await git.raw(['for-each-ref', '--format=%(objectname)', ref])).trim();
  }

  /**
   * Deletes the branches that would keep `ref` from being stored: `a` when `a/b` is fetched and the other way
   * round (a remote that replaced one with the other). Their commits are not in the remote's branch any more.
   */
  private async dropConflictingRefs(git: SimpleGit, ref: string): Promise<void> {
    const refs = (await git.raw(['for-each-ref', '--format=%(refname)', 'refs/heads/']))
      .split('\n')
      .filter(Boolean);
    for (const other of refs) {
      if (ref.startsWith(`${other}/`) || other.startsWith(`${ref}/`))
        await git.raw(['update-ref', '-d', other]);
    }
  }

  /**
   * Writes the files of `commit` into `dir`, a new directory: no `.git` in it, nothing shared with another
   * checkout. Files get modes as in a normal clone (readable by all), whatever the Worker's umask, so services
   * running as other users can read what is mounted from it.
   */
  async checkoutInto(org: string, repo: string, commit: string, dir: string): Promise<void> {
    this.repositoryUrl(org, repo);
    assertValid(commitProblem(commit));
    const gitDir = this.gitDir(org, repo);
    await this.busy.run(gitDir, async () => {
      await fs.mkdir(dir, { mode: 0o755 });
      await fs.chmod(dir, 0o755);
      // A fresh index of its own: an index describing another directory would make git skip "unchanged" files.
      const index = path.join(gitDir, `td-index-${randomBytes(6).toString('hex')}`);
      try {
        await run(
          'sh',
          [
            '-c',
            'umask 022 && exec "$@"',
            'sh',
            'git',
            `--git-dir=${gitDir}`,
            `--work-tree=${dir}`,
            'checkout',
            '--force',
            commit,
            '--',
            '.',
          ],
          {
            env: { ...this.env, GIT_INDEX_FILE: index },
            timeout: this.timeoutMs,
            maxBuffer: 4 * 1024 * 1024,
          },
        );
      } catch (err) {
        throw new GitSourceError(`could not check out ${commit} of ${org}/${repo}: ${this.detail(err)}`);
      } finally {
        await fs.rm(index, { force: true });
      }
    });
  }

  private gitDir(org: string, repo: string): string {
    return path.join(this.reposDir, org.toLowerCase(), `${repo.toLowerCase()}.git`);
  }

  /**
   * `git init --bare` into a temporary folder renamed into place, so a half-made repository never stays; true if
   * it was made now.
   */
  private async ensureBare(dir: string): Promise<boolean> {
    const exists = await fs.stat(path.join(dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (exists) return false;
    // Something without HEAD where the repository belongs (a crash mid-way, a hand-made folder) is no repository.
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
    // "~" cannot occur in a repository name, so the temporary folder never collides with a real one.
    const tmp = `${dir}~init-${randomBytes(6).toString('hex')}`;
    try {
      await this.git(path.dirname(dir)).raw(['init', '--quiet', '--bare', tmp]);
      await fs.rename(tmp, dir);
      return true;
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /** The commit `branch` points at on the remote (`git ls-remote`), without touching the bare repository. */
  async head(org: string, repo: string, branch: string): Promise<string> {
    const remote = this.remote(org, repo);
    assertValid(branchNameProblem(branch));
    let listed: string;
    await fs.mkdir(this.reposDir, { recursive: true });
    try {
      listed = await this.git(this.reposDir, remote).listRemote([remote.url, `refs/heads/${branch}`]);
    } catch (err) {
      throw this.remoteFailure(err, org, repo, remote.url, branch);
    }
    const commit = /^([0-9a-f]{40,64})\s/m.exec(listed)?.[1];
    if (!commit) throw new GitSourceError(`branch "${branch}" does not exist in ${org}/${repo}`);
    return commit;
  }

  private git(baseDir: string, remote?: Remote): SimpleGit {
    const env = {
      ...this.env,
      ...configEnvironment({ ...HARDENED_CONFIG, ...remote?.config }),
      ...remote?.env,
    };
    return simpleGit({
      baseDir,
      allowEnvironment: Object.keys(env),
      // simple-git guards these settings against values from outside; every one of them here is the Worker's own:
      // the hardening itself (no hooks, no fsmonitor, no ext:: protocol, no global configuration), the
      // credentials' header and the deploy key's ssh command.
      unsafe: {
        allowUnsafeConfigEnvCount: true,
        allowUnsafeConfigPaths: true,
        allowUnsafeHooksPath: true,
        allowUnsafeFsMonitor: true,
        allowUnsafeProtocolOverride: true,
        allowUnsafeSshCommand: 'GIT_SSH_COMMAND' in env,
      },
      timeout: { block: this.timeoutMs },
    }).env(env);
  }

  private remoteFailure(
    err: unknown,
    org: string,
    repo: string,
    url: string,
    branch: string,
  ): GitSourceError {
    const detail = this.detail(err);
    if (isTimeout(err)) {
      return new GitSourceError(
        `git gave no sign of progress for ${Math.round(this.timeoutMs / 1000)} s while fetching ${org}/${repo} from ${redact(url)}`,
      );
    }
    if (/Remote branch .* not found|couldn't find remote ref/i.test(detail)) {
      return new GitSourceError(`branch ${branch} not found in ${org}/${repo}`);
    }
    const refusal = isSshUrl(url) && sshRefusal(this.withoutKeyPaths(errorText(err)), new URL(url).host);
    if (refusal) {
      return new GitSourceError(`could not fetch ${org}/${repo} from ${redact(url)}: ${refusal}`);
    }
    return new GitSourceError(
      `repository ${org}/${repo} not found or not reachable at ${redact(url)} (${detail})`,
    );
  }

  /** git's explanation of a failure, with every deploy key's path (which ssh names in its errors) taken out. */
  private detail(err: unknown): string {
    return gitDetail(this.withoutKeyPaths(errorText(err)));
  }

  private withoutKeyPaths(text: string): string {
    return Object.values(this.deployKeys).reduce((out, file) => out.split(file).join('the deploy key'), text);
  }
}
