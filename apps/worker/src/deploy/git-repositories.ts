import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { branchNameProblem, orgNameProblem, repoNameProblem } from '@testausdeploy/domain';
import { errorText, gitDetail, gitEnvironment, isTimeout, redact } from './git-output';
import { isSshUrl, sshCommand, sshRefusal } from './git-ssh';

/** A repository, branch or clone could not be used; `reason` is safe to show the user (no credentials). */
export class GitSourceError extends Error {
  override readonly name = 'GitSourceError';

  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface GitRepositoriesOptions {
  /** One folder per org/repo is kept below this directory. */
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
 * A repository's fetch URL without credentials, the Authorization header value those give, if any, and the
 * environment that hands git its credentials (the header, or the ssh command with the deploy key).
 */
interface Remote {
  url: string;
  auth: string | null;
  env: Record<string, string>;
}

export interface Checkout {
  dir: string;
  commit: string;
}

function assertValid(problem: string | undefined): void {
  if (problem) throw new GitSourceError(problem);
}

/** Clones and updates deployed repositories in one central directory, one folder per org/repo. */
export class GitRepositories {
  private readonly reposDir: string;
  private readonly baseUrl: string;
  private readonly orgBaseUrls: Record<string, string>;
  private readonly deployKeys: Record<string, string>;
  private readonly knownHostsFile: string | undefined;
  private readonly timeoutMs: number;
  private readonly env = gitEnvironment();
  /** Serialises work on one clone: two git processes in the same work tree trip over its index lock. */
  private readonly busy = new Map<string, Promise<unknown>>();

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
   * of it: they go to git as an HTTP header in its environment, so they are neither in the clone's
   * `.git/config` (which a service that bind-mounts its repository could read) nor in any process's arguments.
   * An `ssh://` remote keeps its user name and gets the deploy key through `GIT_SSH_COMMAND` instead.
   */
  private remote(org: string, repo: string): Remote {
    const configured = this.repositoryUrl(org, repo);
    if (isSshUrl(configured)) {
      const keyFile = this.deployKey(org, repo);
      const command = sshCommand({ keyFile, knownHostsFile: this.knownHostsFile });
      return { url: configured, auth: null, env: { GIT_SSH_COMMAND: command } };
    }
    const parsed = URL.canParse(configured) ? new URL(configured) : null;
    if (!parsed || (!parsed.username && !parsed.password)) return { url: configured, auth: null, env: {} };
    const user = decodeURIComponent(parsed.username);
    const auth = `Basic ${Buffer.from(`${user}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    const env = {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: ${auth}`,
    };
    return { url: parsed.toString(), auth, env };
  }

  private deployKey(org: string, repo: string): string | undefined {
    for (const name of [`${org}/${repo}`, org]) {
      if (Object.hasOwn(this.deployKeys, name)) return this.deployKeys[name];
    }
    return undefined;
  }

  /**
   * Brings `${reposDir}/${org}/${repo}` to the head of `branch`, or to `commit` of it (a rollback), and returns
   * the commit checked out.
   */
  async checkout(org: string, repo: string, branch: string, commit?: string): Promise<Checkout> {
    const remote = this.remote(org, repo);
    assertValid(branchNameProblem(branch));
    const dir = path.join(this.reposDir, org, repo);
    return this.exclusive(dir, async () => {
      if (await this.cloneExists(dir)) {
        await this.update(dir, remote, org, repo, branch);
      } else if (!(await this.cloneFresh(dir, remote, org, repo, branch))) {
        // Someone else put a clone in place while we were cloning: update that one instead.
        await this.update(dir, remote, org, repo, branch);
      }
      if (commit) await this.pin(dir, org, repo, commit);
      return { dir, commit: (await this.git(dir).revparse(['HEAD'])).trim() };
    });
  }

  /** The commit `branch` points at on the remote (`git ls-remote`), without touching the clone. */
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

  /** Resets the clone to an earlier commit of the branch just fetched (untracked files stay, as always). */
  private async pin(dir: string, org: string, repo: string, commit: string): Promise<void> {
    const git = this.git(dir);
    try {
      await git.raw(['cat-file', '-e', `${commit}^{commit}`]);
    } catch {
      throw new GitSourceError(`commit ${commit} is not in the history of ${org}/${repo} any more`);
    }
    await git.raw(['reset', '--hard', commit]);
  }

  private git(baseDir: string, remote?: Remote): SimpleGit {
    const credentials = remote?.env ?? {};
    return simpleGit({
      baseDir,
      allowEnvironment: ['GIT_TERMINAL_PROMPT', ...Object.keys(credentials)],
      // The config entry and the ssh command set through the environment are ours, never anything from outside.
      unsafe: {
        allowUnsafeConfigEnvCount: 'GIT_CONFIG_COUNT' in credentials,
        allowUnsafeSshCommand: 'GIT_SSH_COMMAND' in credentials,
      },
      timeout: { block: this.timeoutMs },
    }).env({ ...this.env, ...credentials });
  }

  private async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.busy.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.busy.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.busy.get(key) === settled) this.busy.delete(key);
    }
  }

  private async cloneExists(dir: string): Promise<boolean> {
    try {
      await fs.lstat(dir);
    } catch {
      return false;
    }
    try {
      await fs.lstat(path.join(dir, '.git'));
      return true;
    } catch {
      throw new GitSourceError(
        `${dir} exists but is not a git clone: move it away so it can be cloned afresh`,
      );
    }
  }

  /** Clones beside the target and renames into place, so a failed clone never leaves a half-made folder. */
  private async cloneFresh(
    dir: string,
    remote: Remote,
    org: string,
    repo: string,
    branch: string,
  ): Promise<boolean> {
    const parent = path.dirname(dir);
    await fs.mkdir(parent, { recursive: true });
    // "~" cannot occur in a repository name, so the temporary folder never collides with a real clone.
    const tmp = path.join(parent, `.${repo}~clone-${randomBytes(6).toString('hex')}`);
    try {
      try {
        const options = ['--branch', branch, '--single-branch', '--no-tags'];
        await this.git(parent, remote).clone(remote.url, tmp, options);
      } catch (err) {
        throw this.remoteFailure(err, org, repo, remote.url, branch);
      }
      try {
        await fs.rename(tmp, dir);
        return true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
        throw err;
      }
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  private async update(
    dir: string,
    remote: Remote,
    org: string,
    repo: string,
    branch: string,
  ): Promise<void> {
    const { url } = remote;
    const git = this.git(dir, remote);
    try {
      // The base URL may have changed in config since the clone was made (and older clones kept a token in it).
      await git.remote(['set-url', 'origin', url]);
    } catch (err) {
      throw new GitSourceError(`could not update the clone of ${org}/${repo} in ${dir}: ${this.detail(err)}`);
    }
    try {
      // refs/heads/ so a tag of the same name is never picked instead of the branch.
      await git.raw(['fetch', '--no-tags', 'origin', `refs/heads/${branch}`]);
    } catch (err) {
      throw this.remoteFailure(err, org, repo, url, branch);
    }
    try {
      // No `git clean`: files a service keeps in its clone (uploads, sqlite, ...) must survive a redeploy.
      await git.raw(['reset', '--hard', 'FETCH_HEAD']);
    } catch (err) {
      throw new GitSourceError(`could not update the clone of ${org}/${repo} in ${dir}: ${this.detail(err)}`);
    }
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
