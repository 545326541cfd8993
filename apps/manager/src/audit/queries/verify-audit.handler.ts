import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@testausdeploy/events';
import { HeadSigner } from '../anchor/head-signer';
import { ChainReport, VerifyAuditQuery } from './verify-audit.query';

@QueryHandler(VerifyAuditQuery)
export class VerifyAuditHandler implements IQueryHandler<VerifyAuditQuery> {
  constructor(
    private readonly store: EventStore,
    private readonly signer: HeadSigner,
  ) {}

  async execute(): Promise<ChainReport> {
    const recorded = await this.signer.recorded();
    if (recorded && 'unreadable' in recorded) {
      const check = await this.store.verify();
      return {
        ...check,
        ok: false,
        firstBreak: check.firstBreak ?? { position: check.head, reason: recorded.unreadable },
        signedHead: null,
      };
    }
    const head = recorded?.head;
    const check = await this.store.verify(head);
    return { ...check, signedHead: head ? { position: head.position, signedAt: head.signedAt } : null };
  }
}
