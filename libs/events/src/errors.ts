/** Someone else appended to the stream since it was read; reload and decide again. Nothing was written. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion}, not ${expectedVersion}: ` +
        'it changed while this request was being decided; try again',
    );
  }
}

/**
 * Other writers kept the log busy for longer than the wait allowed, or one left an append unfinished at its end
 * (`blocked`: which writers, and when they wrote last) that only they, or their next run, may remove.
 */
export class WriterBusyError extends Error {
  constructor(waitedMs: number, blocked?: { writers: string[]; since: Date }) {
    super(
      `the event log stayed busy for ${waitedMs} ms` +
        (blocked
          ? `: an append by writer ${blocked.writers.join(', ')} (written at ${blocked.since.toISOString()} ` +
            'by its clock) is unfinished at its end, still being written or left by a writer that stopped; ' +
            'only that writer, or its next start, removes it'
          : '') +
        '; nothing was recorded, try again',
    );
  }
}

/** A rebuild of this read model is already running; wait for it to finish. */
export class RebuildInProgressError extends Error {
  constructor(readonly projection: string) {
    super(`read model "${projection}" is already being rebuilt`);
  }
}
