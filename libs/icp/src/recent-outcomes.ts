import { IcpError, IcpErrorCode } from './frames';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: IcpError };

interface Entry {
  command: string;
  outcome: Promise<Outcome>;
  /** When the command finished (for the TTL). */
  at: number;
  /** Where progress of the running command goes: every connection that asked for it. */
  listeners: Set<(line: string) => void>;
}

/**
 * The outcomes of recent commands by request id, for at-most-once execution: a request whose id was seen
 * before (the Manager retrying after a lost connection) gets the recorded outcome, or waits for the running
 * command, instead of running it again. Kept in memory: every running command, and the newest `limit`
 * finished ones for `ttlMs`. A restarted node has forgotten them (see docs/icp.md).
 */
export class RecentOutcomes {
  private readonly running = new Map<string, Entry>();
  /** Oldest first, so trimming takes from the front. */
  private readonly finished = new Map<string, Entry>();

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
    this.trim();
    const seen = this.running.get(id) ?? this.finished.get(id);
    if (seen) {
      if (seen.command !== command) {
        const error = new IcpError(IcpErrorCode.DuplicateId, `id ${id} was used for "${seen.command}"`);
        return Promise.resolve({ ok: false, error });
      }
      if (this.running.has(id)) seen.listeners.add(progress);
      return seen.outcome;
    }
    const listeners = new Set([progress]);
    const outcome = run((line) => listeners.forEach((listener) => listener(line))).then(
      (result): Outcome => ({ ok: true, result }),
      (error: unknown): Outcome => ({ ok: false, error: asIcpError(error) }),
    );
    const entry: Entry = { command, outcome, at: 0, listeners };
    this.running.set(id, entry);
    void outcome.then(() => {
      this.running.delete(id);
      entry.at = Date.now();
      listeners.clear();
      this.finished.set(id, entry);
    });
    return outcome;
  }

  /** Drops the oldest finished outcomes beyond the limit or past the TTL: about one per call. */
  private trim(): void {
    const now = Date.now();
    for (const [id, entry] of this.finished) {
      if (this.finished.size <= this.limit && now - entry.at <= this.ttlMs) return;
      this.finished.delete(id);
    }
  }
}

function asIcpError(error: unknown): IcpError {
  if (error instanceof IcpError) return error;
  return new IcpError(IcpErrorCode.CommandFailed, error instanceof Error ? error.message : String(error));
}
