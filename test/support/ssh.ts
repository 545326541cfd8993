import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { eventually } from './ports';

const run = promisify(execFile);

/** A fresh ed25519 key pair without passphrase at `file` (mode 600) and `file.pub`. */
export async function sshKeyPair(file: string): Promise<{ key: string; publicKey: string }> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', file]);
  return { key: file, publicKey: (await readFile(`${file}.pub`, 'utf8')).trim() };
}

/** Runs `command` over SSH as `user` on 127.0.0.1:port with only `key`; resolves with stdout. */
export async function ssh(key: string, port: number, user: string, command: string): Promise<string> {
  const options = [
    'StrictHostKeyChecking=no',
    'UserKnownHostsFile=/dev/null',
    'IdentitiesOnly=yes',
    'PasswordAuthentication=no',
    'BatchMode=yes',
    'ConnectTimeout=10',
    'LogLevel=ERROR',
  ].flatMap((option) => ['-o', option]);
  const args = ['-i', key, '-p', String(port), ...options, `${user}@127.0.0.1`, command];
  return (await run('ssh', args, { timeout: 30_000 })).stdout;
}

/** Like `ssh`, retried until sshd answers (a container just started, restored or copied). */
export function sshWhenUp(key: string, port: number, user: string, command: string, timeoutMs = 60_000) {
  return eventually(() => ssh(key, port, user, command).catch(() => undefined), timeoutMs);
}
