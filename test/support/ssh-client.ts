import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './ports';

const run = promisify(execFile);

/** A member's SSH key pair made for one test, and the `ssh` client that logs in with it on 127.0.0.1. */
export class SshClient {
  private constructor(
    private readonly dir: string,
    readonly publicKey: string,
  ) {}

  static async create(): Promise<SshClient> {
    const dir = await mkdtemp(join(tmpdir(), 'ssh-client-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'member@test', '-f', join(dir, 'key')]);
    return new SshClient(dir, (await readFile(join(dir, 'key.pub'), 'utf8')).trim());
  }

  /** Runs `command` as `user` on 127.0.0.1:`port`; rejects if the login or the command fails. */
  async run(user: string, port: number, command: string): Promise<string> {
    const options = [
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
    ];
    const args = [...options, '-o', 'ConnectTimeout=5', '-i', join(this.dir, 'key'), '-p', String(port)];
    return (await run('ssh', [...args, `${user}@127.0.0.1`, command], { timeout: 30_000 })).stdout;
  }

  /** Like `run`, retried until sshd answers (a container that was just started, restored or copied). */
  runWhenUp(user: string, port: number, command: string, timeoutMs = 60_000): Promise<string> {
    return eventually(() => this.run(user, port, command).catch(() => undefined), timeoutMs);
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
