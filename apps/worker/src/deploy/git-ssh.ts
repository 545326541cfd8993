import * as path from 'node:path';

/** How git reaches an `ssh://` remote: with which private key, trusting which pinned host keys. */
export interface SshSettings {
  /** The private key offered, and the only one (`IdentitiesOnly`); else ssh's own defaults. */
  keyFile?: string;
  /** known_hosts file holding the host keys trusted; else ssh's own (`~/.ssh/known_hosts`). */
  knownHostsFile?: string;
}

/**
 * Why `file` cannot be handed to ssh as a key or known_hosts path, or undefined if it can. ssh expands `%`
 * tokens, `${VAR}` and backslash escapes in these paths itself, and `"` would end the quoting of an option
 * value, so such paths are refused rather than escaped for two parsers at once.
 */
export function sshPathProblem(file: string): string | undefined {
  if (!path.isAbsolute(file)) return 'must be an absolute path';
  // eslint-disable-next-line no-control-regex
  if (/["%$\\\u0000-\u001f\u007f]/.test(file)) {
    return 'must not contain %, $, ", \\ or control characters (ssh would expand them)';
  }
  return undefined;
}

/** One word for `sh`: single-quoted, so nothing in it is expanded or split. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `GIT_SSH_COMMAND`, which git runs through `sh -c`: every argument is single-quoted, so a path is never
 * interpreted by the shell. ssh never prompts (a passphrase, an unknown host) and only connects to a host
 * whose key is already pinned.
 */
export function sshCommand({ keyFile, knownHostsFile }: SshSettings): string {
  const options = ['BatchMode=yes', 'StrictHostKeyChecking=yes'];
  // ssh splits an option's value at white space: the double quotes keep a path with spaces whole.
  if (knownHostsFile) options.push(`UserKnownHostsFile="${knownHostsFile}"`);
  if (keyFile) options.push('IdentitiesOnly=yes');
  const args = options.flatMap((option) => ['-o', option]);
  if (keyFile) args.push('-i', keyFile);
  return ['ssh', ...args.map(shellWord)].join(' ');
}

/** Whether git reaches `url` over ssh (the `ssh://` and `git+ssh://` forms). */
export function isSshUrl(url: string): boolean {
  return /^(git\+)?ssh:\/\//i.test(url);
}

/** Lines of ssh's output that explain a refusal, as a reason a user can act on; undefined if none does. */
export function sshRefusal(output: string, host: string): string | undefined {
  if (
    /Host key verification failed|host key .* (is not known|has changed)|REMOTE HOST IDENTIFICATION/i.test(
      output,
    )
  ) {
    return `the SSH host key of ${host} is unknown or has changed: pin its key in GIT_KNOWN_HOSTS (host key verification failed)`;
  }
  if (/Permission denied \(publickey/i.test(output)) {
    return `${host} refused the SSH key (Permission denied (publickey)): check the deploy key in GIT_DEPLOY_KEYS and that the host knows its public half`;
  }
  return undefined;
}
