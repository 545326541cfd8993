import { Global, Module } from '@nestjs/common';
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

/**
 * Where projects and members' containers run: placed by rule when they are new; their commands go to that node
 * only.
 */
@Global()
@Module({
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
  ],
  exports: [ProjectPlacements, NodeCandidates, NodeWorkloads, GuardianScope, AffectedGuardians, ProjectMoves],
})
export class PlacementModule {}
