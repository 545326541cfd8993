import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What one compose run may see of the host besides the system's programs: its project, read-only. */
export interface SandboxView {
  /** Files and directories bound read-only at their own paths (the checkout, the checked compose file). */
  readable: readonly string[];
  /** The working directory inside: compose's project directory. */
  cwd: string;
}

export interface ComposeSandboxOptions {
  /** The Docker daemon's unix socket, e.g. `/var/run/docker.sock`: the only way out of the sandbox. */
  dockerSocket: string;
  /** Where each run gets a scratch directory of its own as `/tmp` (build contexts are packed there). */
  scratchDir: string;
  /** Programs outside /usr that compose needs (a compose v2 binary kept elsewhere), bound read-only. */
  programs?: readonly string[];
  bwrap?: string;
}

/** Where the Docker socket appears inside, whatever its path on the host. */
const SOCKET_INSIDE = '/run/docker.sock';

/**
 * Compose renders and runs a member's compose file with the Docker socket, and a compose file can make it read
 * files (env files, extended files, includes, `.env`) wherever its YAML points. So compose runs in a mount
 * namespace of its own (bubblewrap) whose file system holds the system's programs (`/usr`, read-only), the
 * project's checkout and checked file (read-only, at their own paths, so the paths it hands dockerd mean the
 * same outside), an empty `/etc`, a scratch `/tmp` and the Docker socket: nothing else of the host exists there,
 * so `/etc/testausdeploy`, the Worker's keys and other projects' files cannot be named by any YAML trick. It has
 * no network (dockerd is reached through the socket), no capabilities, its own pid namespace, and an environment
 * of four fixed variables.
 */
export class ComposeSandbox {
  private readonly bwrap: string;

  constructor(private readonly options: ComposeSandboxOptions) {
    this.bwrap = options.bwrap ?? 'bwrap';
  }

  /**
   * The command line that runs `command` inside, and the scratch directory to remove when it has ended. Every
   * path of the view must exist (bwrap refuses to bind what is not there).
   */
  async wrap(command: readonly string[], view: SandboxView): Promise<{ argv: string[]; scratch: string }> {
    await fs.mkdir(this.options.scratchDir, { recursive: true, mode: 0o700 });
    const scratch = await fs.mkdtemp(path.join(this.options.scratchDir, 'run-'));
    const binds = [...(this.options.programs ?? []), ...view.readable].flatMap((file) => [
      '--ro-bind',
      file,
      file,
    ]);
    const argv = [
      this.bwrap,
      '--die-with-parent',
      '--new-session',
      '--unshare-all',
      '--cap-drop',
      'ALL',
      '--ro-bind',
      '/usr',
      '/usr',
      ...(await systemDirectories()),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--dir',
      '/etc',
      '--bind',
      scratch,
      '/tmp',
      '--bind',
      this.options.dockerSocket,
      SOCKET_INSIDE,
      ...binds,
      '--chdir',
      view.cwd,
      '--clearenv',
      '--setenv',
      'PATH',
      '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin',
      '--setenv',
      'HOME',
      '/tmp',
      '--setenv',
      'LANG',
      'C.UTF-8',
      '--setenv',
      'DOCKER_HOST',
      `unix://${SOCKET_INSIDE}`,
      '--',
      ...command,
    ];
    return { argv, scratch };
  }
}

/**
 * `/bin`, `/sbin`, `/lib` and `/lib64` as the host has them: symlinks into `/usr` on a merged-/usr system such as
 * Debian 12, which are made the same inside, or directories of their own, which are bound read-only.
 */
async function systemDirectories(): Promise<string[]> {
  const args: string[] = [];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib64']) {
    const stat = await fs.lstat(dir).catch(() => null);
    if (stat?.isSymbolicLink()) args.push('--symlink', await fs.readlink(dir), dir);
    else if (stat?.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  return args;
}

/** The Docker socket the Worker uses: `DOCKER_HOST` if it names a unix socket, else Docker's default. */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(
    `DOCKER_HOST=${host}: compose runs without network access, so the Worker needs dockerd's unix socket`,
  );
}
