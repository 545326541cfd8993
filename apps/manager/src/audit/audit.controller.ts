import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { AuditScope } from './audit-scope';
import { AsOfResolver } from './as-of.resolver';
import { AuditFilters, auditFilters } from './audit.dto';
import { SearchAuditQuery } from './queries/search-audit.query';
import { VerifyAuditQuery } from './queries/verify-audit.query';

@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly asOf: AsOfResolver,
    private readonly scope: AuditScope,
  ) {}

  /** The audit log: all of it for an admin; for a member, what concerns their projects, containers and account. */
  @Get()
  @ForMembers()
  async search(
    @Query(new ZodBody(auditFilters)) { asOf, ...filters }: AuditFilters,
    @CurrentCaller() caller: Caller,
  ) {
    const until = asOf === undefined ? undefined : await this.asOf.position(asOf);
    return this.queries.execute(new SearchAuditQuery(filters, until, await this.scope.of(caller)));
  }

  @Get('verify')
  verify() {
    return this.queries.execute(new VerifyAuditQuery());
  }
}
