import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ZodBody } from '../http/zod-body.pipe';
import { AsOfResolver } from './as-of.resolver';
import { AuditFilters, auditFilters } from './audit.dto';
import { SearchAuditQuery } from './queries/search-audit.query';
import { VerifyAuditQuery } from './queries/verify-audit.query';

@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly asOf: AsOfResolver,
  ) {}

  @Get()
  async search(@Query(new ZodBody(auditFilters)) { asOf, ...filters }: AuditFilters) {
    const until = asOf === undefined ? undefined : await this.asOf.position(asOf);
    return this.queries.execute(new SearchAuditQuery(filters, until));
  }

  @Get('verify')
  verify() {
    return this.queries.execute(new VerifyAuditQuery());
  }
}
