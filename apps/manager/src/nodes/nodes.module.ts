import { Global, Module } from '@nestjs/common';
import { Identity, loadOrCreateIdentity } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { NodeConnections } from './node-connections';

@Global()
@Module({
  providers: [
    {
      provide: Identity,
      inject: [ManagerConfig],
      useFactory: (config: ManagerConfig) =>
        loadOrCreateIdentity(config.MANAGER_STATE_DIR, 'testausdeploy-manager'),
    },
    NodeConnections,
  ],
  exports: [NodeConnections],
})
export class NodesModule {}
