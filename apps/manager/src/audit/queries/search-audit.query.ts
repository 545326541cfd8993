import { Query } from '@nestjs/cqrs';
import { Document } from 'mongodb';
import { AuditEntry } from '../audit-entry';
import { AuditFilters } from '../audit.dto';

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: number | null;
}

export class SearchAuditQuery extends Query<AuditPage> {
  constructor(
    readonly filters: Omit<AuditFilters, 'asOf'>,
    readonly untilPosition: number | undefined,
    /** Only the entries this filter keeps (a member's); null for all. */
    readonly scope: Document | null,
  ) {
    super();
  }
}
