import type { LxdOperations } from './lxd-operations';
import { instancePath, type LxdSocket } from './lxd-socket';

export interface ExecOptions {
  /** Added to LXD's default environment (PATH, HOME, USER, LANG). */
  env?: Record<string, string>;
  cwd?: string;
  /** Inside the container's own id space; default root. */
  uid?: number;
  gid?: number;
  /** How long the command may run before the wait gives up (LXD does not kill it then). */
  timeoutSeconds?: number;
  /**
   * Whether LXD records stdout and stderr (on the host's disk) to be read back: only for commands whose output
   * the container cannot have made huge (right after creation, before the member had it). Without, output is
   * dropped inside and only the exit code comes back.
   */
  record?: boolean;
}

/** The most read back of a recorded stdout or stderr. */
const MAX_RECORDED_BYTES = 1024 * 1024;

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface ExecMetadata {
  return: number;
  /** fd number → API path of the log LXD recorded it in; the form differs between LXD versions. */
  output?: Record<string, string>;
}

/**
 * Runs a command in a running container without websockets: stdin is empty and LXD records stdout and stderr
 * into log files, which are read and deleted once the command has ended.
 */
export class LxdExec {
  constructor(
    private readonly socket: LxdSocket,
    private readonly operations: LxdOperations,
  ) {}

  async run(instance: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.operations.run<ExecMetadata>(
      {
        method: 'POST',
        path: instancePath(instance, 'exec'),
        json: {
          command,
          environment: options.env ?? {},
          ...(options.cwd ? { cwd: options.cwd } : {}),
          ...(options.uid !== undefined ? { user: options.uid } : {}),
          ...(options.gid !== undefined ? { group: options.gid } : {}),
          interactive: false,
          'wait-for-websocket': false,
          'record-output': options.record ?? true,
        },
      },
      options.timeoutSeconds,
    );
    // Both logs are read and deleted before an answer or a refusal: one over the limit must not leave the other.
    const [stdout, stderr] = await Promise.allSettled(
      ['1', '2'].map((fd) => this.takeLog(result.output?.[fd])),
    );
    if (stdout.status === 'rejected') throw stdout.reason;
    if (stderr.status === 'rejected') throw stderr.reason;
    return { exitCode: result.return, stdout: stdout.value, stderr: stderr.value };
  }

  private async takeLog(path: string | undefined): Promise<string> {
    if (!path) return '';
    try {
      return (await this.socket.bytes({ path }, MAX_RECORDED_BYTES)).toString();
    } finally {
      await this.socket.call({ method: 'DELETE', path });
    }
  }
}
