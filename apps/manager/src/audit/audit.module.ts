import { Module } from '@nestjs/common';
import { AsOfResolver } from './as-of.resolver';
import { AuditController } from './audit.controller';
import { AuditProjection } from './audit.projection';
import { SearchAuditHandler } from './queries/search-audit.handler';
import { VerifyAuditHandler } from './queries/verify-audit.handler';

@Module({
  controllers: [AuditController],
  providers: [AuditProjection, AsOfResolver, SearchAuditHandler, VerifyAuditHandler],
  exports: [AsOfResolver],
})
export class AuditModule {}
