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

/** Other writers kept the log busy (or a stalled batch blocked it) for longer than the wait allowed. */
export class WriterBusyError extends Error {
  constructor(waitedMs: number) {
    super(`the event log stayed busy for ${waitedMs} ms; nothing was recorded, try again`);
  }
}

/** A rebuild of this read model is already running; wait for it to finish. */
export class RebuildInProgressError extends Error {
  constructor(readonly projection: string) {
    super(`read model "${projection}" is already being rebuilt`);
  }
}
