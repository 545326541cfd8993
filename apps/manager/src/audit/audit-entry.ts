/** One line of the audit log: who did what to which stream, when, and in answer to what. */
export interface AuditEntry {
  /** The event's position: the read model's key. */
  _id: number;
  position: number;
  time: Date;
  actor: string;
  type: string;
  streamId: string;
  version: number;
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  source: string;
  data: unknown;
}
