/** Who caused an event and in answer to what: the audit trail's raw material. */
export interface EventMetadata {
  actor: string;
  correlationId: string;
  causationId: string | null;
  time: Date;
}

/** An event as the store keeps it: never updated, never deleted. */
export interface StoredEvent<T extends string = string, D = unknown> {
  streamId: string;
  version: number;
  position: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
}

export interface NewEvent {
  type: string;
  data: unknown;
}
