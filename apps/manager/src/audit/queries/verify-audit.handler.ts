import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@testausdeploy/events';
import { ChainReport, VerifyAuditQuery } from './verify-audit.query';

@QueryHandler(VerifyAuditQuery)
export class VerifyAuditHandler implements IQueryHandler<VerifyAuditQuery> {
  constructor(private readonly store: EventStore) {}

  execute(): Promise<ChainReport> {
    return this.store.verify();
  }
}
