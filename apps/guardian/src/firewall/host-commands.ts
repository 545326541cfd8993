import { execFile } from 'node:child_process';

/** A command that exited non-zero, with what it wrote to stderr. */
export class HostCommandError extends Error {}

/**
 * Runs the firewall tools (`nft`, `iptables`) on the host, or inside the network namespace `netns` (an
 * `ip netns` name, entered with `nsenter --net`) when one is configured: the one place the Guardian starts
 * processes.
 */
export class HostCommands {
  constructor(private readonly netns?: string) {}

  run(command: string, args: string[], input?: string): Promise<string> {
    const [file, argv] = this.netns
      ? ['ip', ['netns', 'exec', this.netns, command, ...args]]
      : [command, args];
    return new Promise((resolve, reject) => {
      const child = execFile(file, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const reason = stderr.trim() || error.message;
        reject(new HostCommandError(`${command} ${args.join(' ')}: ${reason}`));
      });
      // A command that exits without reading its input must not take the Guardian down with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input ?? '');
    });
  }
}
