import { IcpError, IcpErrorCode } from './frames';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: IcpError };

export type Progress = (line: string) => void;

interface Entry {
  command: string;
  outcome: Promise<Outcome>;
  /** When the command finished (for the TTL). */
  at: number;
  /** Where progress of the running command goes: every connection that asked for it. */
  listeners: Set<Progress>;
  /** Aborted when the client cancels the request, or when nobody has listened for `abandonAfterMs`. */
  abort: AbortController;
  abandonTimer: NodeJS.Timeout | null;
}

/**
 * The outcomes of recent commands by request id, for at-most-once execution: a request whose id was seen
 * before (the Manager retrying after a lost connection) gets the recorded outcome, or waits for the running
 * command, instead of running it again. Kept in memory: every running command, and the newest `limit`
 * finished ones for `ttlMs`. A restarted node has forgotten them (see docs/icp.md).
 *
 * A running command can be cancelled: its handler sees its signal aborted, and whatever it ends with is
 * recorded like any outcome (a rejection after the abort as `cancelled`), so a retried id never runs it again.
 */
export class RecentOutcomes {
  private readonly running = new Map<string, Entry>();
  /** Oldest first, so trimming takes from the front. */
  private readonly finished = new Map<string, Entry>();

  constructor(
    private readonly limit = 1000,
    private readonly ttlMs = 60 * 60 * 1000,
    /** Longer than the client's longest redial (15 s), so a reconnecting Manager finds its command running. */
    private readonly abandonAfterMs = 60_000,
  ) {}

  /**
   * The outcome of request `id`: the recorded one if `id` was seen, else `run`'s, recorded. Progress lines go
   * to `progress` while the command runs, whichever request started it.
   */
  run(
    id: string,
    command: string,
    progress: Progress,
    run: (progress: Progress, signal: AbortSignal) => Promise<unknown>,
  ): Promise<Outcome> {
    this.trim();
    const seen = this.running.get(id) ?? this.finished.get(id);
    if (seen) {
      if (seen.command !== command) {
        const error = new IcpError(IcpErrorCode.DuplicateId, `id ${id} was used for "${seen.command}"`);
        return Promise.resolve({ ok: false, error });
      }
      if (this.running.has(id)) this.join(seen, progress);
      return seen.outcome;
    }
    const listeners = new Set([progress]);
    const abort = new AbortController();
    const outcome = run((line) => listeners.forEach((listener) => listener(line)), abort.signal).then(
      (result): Outcome => ({ ok: true, result }),
      (error: unknown): Outcome => ({
        ok: false,
        error: abort.signal.aborted
          ? new IcpError(IcpErrorCode.Cancelled, `"${command}" was cancelled: ${String(abort.signal.reason)}`)
          : asIcpError(error),
      }),
    );
    const entry: Entry = { command, outcome, at: 0, listeners, abort, abandonTimer: null };
    this.running.set(id, entry);
    void outcome.then(() => {
      this.running.delete(id);
      if (entry.abandonTimer) clearTimeout(entry.abandonTimer);
      entry.at = Date.now();
      listeners.clear();
      this.finished.set(id, entry);
    });
    return outcome;
  }

  /** Aborts the running command of request `id`; an unknown or finished id is left alone. */
  cancel(id: string, reason = 'the client cancelled it'): void {
    this.running.get(id)?.abort.abort(reason);
  }

  /**
   * `progress` no longer listens to request `id` (its connection closed). A running command nobody listens
   * to for `abandonAfterMs` is cancelled: a Manager that went away for good cannot cancel a log it follows.
   */
  leave(id: string, progress: Progress): void {
    const entry = this.running.get(id);
    if (!entry || !entry.listeners.delete(progress) || entry.listeners.size > 0) return;
    entry.abandonTimer = setTimeout(
      () => entry.abort.abort('nobody listened to it any more'),
      this.abandonAfterMs,
    );
    entry.abandonTimer.unref();
  }

  private join(entry: Entry, progress: Progress): void {
    entry.listeners.add(progress);
    if (entry.abandonTimer) clearTimeout(entry.abandonTimer);
    entry.abandonTimer = null;
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
