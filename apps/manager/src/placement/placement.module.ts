import { Global, Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { FirewallModule } from '../firewall/firewall.module';
import { RoutesModule } from '../routes/routes.module';
import { AffectedGuardians } from './affected-guardians';
import { MoveProjectHandler } from './commands/move-project.handler';
import { ProjectMoves } from './project-moves';
import { ProjectMovesController } from './project-moves.controller';
import { GuardianScope } from './guardian-scope';
import { LegacyPlacements } from './legacy-placements';
import { NodeCandidates } from './node-candidates';
import { NodeReconciliation } from './node-reconciliation';
import { NodeWorkloads } from './node-workloads';
import { ProjectPlacements } from './project-placements';
import { GuardianConfirmation } from './guardian-confirmation';
import { UnfinishedMoves } from './unfinished-moves';

/**
 * Where projects and members' containers run: placed by rule when they are new; their commands go to that node
 * only.
 */
@Global()
@Module({
  imports: [FirewallModule, RoutesModule, DeploymentsModule],
  controllers: [ProjectMovesController],
  providers: [
    ProjectMoves,
    MoveProjectHandler,
    NodeCandidates,
    ProjectPlacements,
    NodeWorkloads,
    GuardianScope,
    NodeReconciliation,
    LegacyPlacements,
    AffectedGuardians,
    GuardianConfirmation,
    UnfinishedMoves,
  ],
  exports: [ProjectPlacements, NodeCandidates, NodeWorkloads, GuardianScope, AffectedGuardians, ProjectMoves],
})
export class PlacementModule {}
