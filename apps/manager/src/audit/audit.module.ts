import { Module } from '@nestjs/common';
import { ManagerConfig } from '../config/manager-config';
import { HeadAnchorer } from './anchor/head-anchorer';
import { HeadSigner } from './anchor/head-signer';
import { AsOfResolver } from './as-of.resolver';
import { AuditController } from './audit.controller';
import { AuditScope } from './audit-scope';
import { AuditProjection } from './audit.projection';
import { SearchAuditHandler } from './queries/search-audit.handler';
import { VerifyAuditHandler } from './queries/verify-audit.handler';

/** The audit log: searching it, checking its hash chain, and signing its head. */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: HeadSigner,
      inject: [ManagerConfig],
      useFactory: (config: ManagerConfig) => HeadSigner.open(config.MANAGER_STATE_DIR),
    },
    HeadAnchorer,
    AuditProjection,
    AsOfResolver,
    AuditScope,
    SearchAuditHandler,
    VerifyAuditHandler,
  ],
  exports: [AsOfResolver],
})
export class AuditModule {}
