import { Injectable } from '@nestjs/common';
import { IndexDescription } from 'mongodb';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../events/registered-projection';
import { AuditEntry, auditEntry } from './audit-entry';

export const AUDIT = 'audit';

/** Every event as an audit entry, keyed by its position and indexed for the filters of `GET /audit`. */
@Injectable()
export class AuditProjection extends RegisteredProjection<AuditEntry> {
  readonly name = AUDIT;
  readonly version = 2;
  readonly indexes: IndexDescription[] = [
    { key: { time: 1, position: 1 } },
    { key: { actor: 1, position: 1 } },
    { key: { streamId: 1, position: 1 } },
    { key: { type: 1, position: 1 } },
    { key: { correlationId: 1, position: 1 } },
  ];

  async apply(event: StoredEvent, views: Views<AuditEntry>): Promise<void> {
    views.put({ _id: event.position, ...auditEntry(event) });
  }
}
