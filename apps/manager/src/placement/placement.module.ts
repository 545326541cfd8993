import { Global, Module } from '@nestjs/common';
import { GuardianScope } from './guardian-scope';
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
  providers: [NodeCandidates, ProjectPlacements, NodeWorkloads, GuardianScope, NodeReconciliation],
  exports: [ProjectPlacements, NodeCandidates, NodeWorkloads, GuardianScope],
})
export class PlacementModule {}
