/** Who caused an event and in answer to what: the audit trail's raw material. */
export interface EventMetadata {
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** The client's idempotency key: a command seen before is answered from the log instead of run again. */
  commandId: string | null;
  /** Which service recorded the event (e.g. `manager`). */
  source: string;
  time: Date;
}

/** An event as the store keeps it: never updated, never deleted. */
export interface StoredEvent<T extends string = string, D = unknown> {
  streamId: string;
  version: number;
  /** Strictly increasing over the whole log, without gaps. */
  position: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  /**
   * First and last position of the append (one call of `append`) this event was written in. Readers deliver
   * an append only once its last event is present, so nobody ever sees half of one.
   */
  batch: { first: number; last: number };
  /** SHA-256 over the previous event's hash and this event's canonical content. */
  hash: string;
  /** `metadata.commandId`, on the first event of its append only: the unique key that makes commands idempotent. */
  commandKey?: string;
  /**
   * First position of the insert this event was written in: one ordered insert of a group of appends. Absent on
   * events written before inserts were marked, each of which continued a log its writer had seen committed.
   */
  write?: number;
  /**
   * On an insert's first event: the hash of the event before it, the one the insert continues. An insert may be
   * sent while the one before it is still in flight; if that one fails, this link is broken and readers never
   * take the insert (see docs/events.md).
   */
  after?: string;
  /**
   * Who wrote it (LogWriterOptions.writer): what a writer left unfinished is removed by it, or after its death by
   * its next run, never by another writer. Absent on events written before writers were named.
   */
  writer?: string;
}

export interface NewEvent {
  type: string;
  data: unknown;
}

export type AppendMetadata = Omit<EventMetadata, 'time' | 'commandId' | 'source'> & {
  commandId?: string | null;
};
