import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { sshKeyPair } from './ssh';

/**
 * A private sshd on 127.0.0.1 with its own freshly generated host key, letting in only `authorizedKeys` (as
 * the user running the tests), so that git reaches the bare repositories on this machine over ssh, as it
 * reaches a git host with a deploy key.
 */
export class SshHost {
  private constructor(
    readonly port: number,
    /** The `known_hosts` line that pins this host's key. */
    readonly knownHostsLine: string,
    private readonly dir: string,
    private readonly daemon: ChildProcess,
    private readonly output: () => string,
  ) {}

  static async start(authorizedKeys: string[]): Promise<SshHost> {
    const dir = await mkdtemp(join(tmpdir(), 'sshd-'));
    const hostKey = join(dir, 'host_ed25519');
    const hostPublic = (await sshKeyPair(hostKey)).publicKey.split(' ').slice(0, 2).join(' ');
    // `restrict`: no forwarding, no pty; running git-upload-pack is all the key is for.
    await writeFile(join(dir, 'authorized_keys'), authorizedKeys.map((key) => `restrict ${key}\n`).join(''));
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    await writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'AuthenticationMethods publickey',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'UsePAM no',
        // The temporary directory's owner and modes are not what sshd wants of a home directory.
        'StrictModes no',
        '',
      ].join('\n'),
    );
    // sshd started as root insists on its privilege separation directory.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => undefined);
    const daemon = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    daemon.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitForPort(port);
    } catch (error) {
      daemon.kill();
      throw new Error(`${(error as Error).message}; sshd said: ${output}`, { cause: error });
    }
    return new SshHost(port, `[127.0.0.1]:${port} ${hostPublic}`, dir, daemon, () => output);
  }

  /** The base URL under which `root`'s `org/repo.git` are served. */
  baseUrl(root: string): string {
    return `ssh://${userInfo().username}@127.0.0.1:${this.port}${root}`;
  }

  /** What sshd logged (it logs to stderr with -e), for failing tests. */
  get log(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.daemon.exitCode === null) {
      await new Promise<void>((done) => {
        this.daemon.once('exit', () => done());
        this.daemon.kill();
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
