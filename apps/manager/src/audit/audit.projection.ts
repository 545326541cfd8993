import { Injectable } from '@nestjs/common';
import { Collection } from 'mongodb';
import { ensureIndexes, insertNew, StoredEvent } from '@testausdeploy/events';
import { RegisteredProjection } from '../events/registered-projection';
import { AuditEntry } from './audit-entry';

export const AUDIT = 'audit';

/** Every event as an audit entry, indexed for the filters of `GET /audit`. */
@Injectable()
export class AuditProjection extends RegisteredProjection<AuditEntry> {
  readonly name = AUDIT;

  async prepare(target: Collection<AuditEntry>): Promise<void> {
    await ensureIndexes(target, [
      { key: { position: 1 }, unique: true },
      { key: { time: 1, position: 1 } },
      { key: { actor: 1, position: 1 } },
      { key: { streamId: 1, position: 1 } },
      { key: { type: 1, position: 1 } },
      { key: { correlationId: 1, position: 1 } },
    ]);
  }

  async apply(target: Collection<AuditEntry>, events: StoredEvent[]): Promise<void> {
    await insertNew(
      target,
      events.map((event) => {
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
      }),
    );
  }
}
