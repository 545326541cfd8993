import { execFile, spawn, ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './ports';

const run = promisify(execFile);

export type RepoFile = string | { symlink: string };

/** A git host on 127.0.0.1 (`git daemon`) serving `org/repo.git`, like GitHub serves an organisation's repos. */
export class GitHost {
  private constructor(
    readonly root: string,
    readonly port: number,
    private readonly daemon: ChildProcess,
  ) {}

  static async start(): Promise<GitHost> {
    const root = await mkdtemp(join(tmpdir(), 'git-host-'));
    const port = await freePort();
    const daemon = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        `--base-path=${root}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
        root,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
    return new GitHost(root, port, daemon);
  }

  get baseUrl(): string {
    return `git://127.0.0.1:${this.port}`;
  }

  /**
   * Commits `files` (contents, or symlinks as `{ symlink: target }`) onto `branch` of org/repo, creating the
   * repository if needed; returns the commit.
   */
  async push(org: string, repo: string, files: Record<string, RepoFile>, branch = 'main'): Promise<string> {
    const bare = join(this.root, org, `${repo}.git`);
    await mkdir(bare, { recursive: true });
    await git(bare, 'init', '--bare', '--quiet', `--initial-branch=${branch}`);
    const work = await mkdtemp(join(tmpdir(), 'git-work-'));
    try {
      await git(work, 'init', '--quiet', `--initial-branch=${branch}`);
      await git(work, 'pull', '--quiet', bare, branch).catch(() => undefined);
      for (const [path, content] of Object.entries(files)) {
        const target = join(work, path);
        await mkdir(dirname(target), { recursive: true });
        await rm(target, { force: true });
        await (typeof content === 'string' ? writeFile(target, content) : symlink(content.symlink, target));
      }
      await git(work, 'add', '--all');
      await git(
        work,
        '-c',
        'user.name=test',
        '-c',
        'user.email=test@localhost',
        'commit',
        '--quiet',
        '-m',
        'test',
      );
      await git(work, 'push', '--quiet', bare, `HEAD:${branch}`);
      return (await git(work, 'rev-parse', 'HEAD')).trim();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    this.daemon.kill();
    await rm(this.root, { recursive: true, force: true });
  }
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd })).stdout;
}
