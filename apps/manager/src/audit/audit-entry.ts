import { StoredEvent } from '@testausdeploy/events';

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

/** An event as the audit log and the live event stream show it. */
export function auditEntry(event: StoredEvent): Omit<AuditEntry, '_id'> {
  const { actor, correlationId, causationId, commandId, source, time } = event.metadata;
  return {
    position: event.position,
    time,
    actor,
    type: event.type,
    streamId: event.streamId,
    version: event.version,
    correlationId,
    causationId,
    commandId,
    source,
    data: event.data,
  };
}
