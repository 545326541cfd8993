import { Global, Module } from '@nestjs/common';
import { Identity, loadOrCreateIdentity } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { ChangeNodePlacementHandler } from './commands/change-node-placement.handler';
import { EnrolNodeHandler } from './commands/enrol-node.handler';
import { RemoveNodeHandler } from './commands/remove-node.handler';
import { RotateNodeKeyHandler } from './commands/rotate-node-key.handler';
import { CapacityOnSession, NodeCapacities } from './node-capacities';
import { NodeConnections } from './node-connections';
import { NodeStatuses } from './node-status';
import { NodeDirectory } from './node-directory';
import { NodeOutages } from './node-outages';
import { NodeRegistryListener } from './node-registry.listener';
import { NodeRepository } from './node.repository';
import { NodesController } from './nodes.controller';
import { NodesProjection } from './projections/nodes.projection';
import { GetNodeHandler } from './queries/get-node.handler';
import { ListNodesHandler } from './queries/list-nodes.handler';

export const MANAGER_COMMON_NAME = 'testausdeploy-manager';

/** The registry of Workers and Guardians and the Manager's ICP sessions to them. */
@Global()
@Module({
  controllers: [NodesController],
  providers: [
    {
      provide: Identity,
      inject: [ManagerConfig],
      useFactory: (config: ManagerConfig) =>
        loadOrCreateIdentity(config.MANAGER_STATE_DIR, MANAGER_COMMON_NAME),
    },
    NodeConnections,
    NodeCapacities,
    CapacityOnSession,
    NodeStatuses,
    NodeDirectory,
    NodeOutages,
    NodeRepository,
    NodesProjection,
    NodeRegistryListener,
    EnrolNodeHandler,
    RotateNodeKeyHandler,
    RemoveNodeHandler,
    ChangeNodePlacementHandler,
    ListNodesHandler,
    GetNodeHandler,
  ],
  exports: [NodeConnections, NodeCapacities, NodeDirectory],
})
export class NodesModule {}
