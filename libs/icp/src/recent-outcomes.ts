import { IcpError, IcpErrorCode } from './frames';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: IcpError };

interface Entry {
  command: string;
  outcome: Promise<Outcome>;
  done: boolean;
  at: number;
  /** Where progress of the running command goes: every connection that asked for it. */
  listeners: Set<(line: string) => void>;
}

/**
 * The outcomes of recent commands by request id, for at-most-once execution: a request whose id was seen
 * before (the Manager retrying after a lost connection) gets the recorded outcome, or waits for the running
 * command, instead of running it again. Kept in memory, the newest `limit` for `ttlMs`: a restarted node has
 * forgotten them (see docs/icp.md).
 */
export class RecentOutcomes {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limit = 1000,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /**
   * The outcome of request `id`: the recorded one if `id` was seen, else `run`'s, recorded. Progress lines go
   * to `progress` while the command runs, whichever request started it.
   */
  run(
    id: string,
    command: string,
    progress: (line: string) => void,
    run: (progress: (line: string) => void) => Promise<unknown>,
  ): Promise<Outcome> {
    const seen = this.entries.get(id);
    if (seen && Date.now() - seen.at <= this.ttlMs) {
      if (seen.command !== command) {
        const error = new IcpError(IcpErrorCode.DuplicateId, `id ${id} was used for "${seen.command}"`);
        return Promise.resolve({ ok: false, error });
      }
      if (!seen.done) seen.listeners.add(progress);
      return seen.outcome;
    }
    const listeners = new Set([progress]);
    const entry: Entry = {
      command,
      at: Date.now(),
      done: false,
      listeners,
      outcome: run((line) => listeners.forEach((listener) => listener(line))).then(
        (result): Outcome => ({ ok: true, result }),
        (error: unknown): Outcome => ({ ok: false, error: asIcpError(error) }),
      ),
    };
    this.entries.delete(id);
    this.entries.set(id, entry);
    void entry.outcome.then(() => {
      entry.done = true;
      listeners.clear();
      this.trim();
    });
    return entry.outcome;
  }

  /** Drops the oldest finished outcomes beyond the limit and any older than the TTL. */
  private trim(): void {
    const now = Date.now();
    let excess = this.entries.size - this.limit;
    for (const [id, entry] of this.entries) {
      if (!entry.done) continue;
      if (excess > 0) {
        this.entries.delete(id);
        excess--;
      } else if (now - entry.at > this.ttlMs) {
        this.entries.delete(id);
      }
    }
  }
}

function asIcpError(error: unknown): IcpError {
  if (error instanceof IcpError) return error;
  return new IcpError(IcpErrorCode.CommandFailed, error instanceof Error ? error.message : String(error));
}
