import { DynamicModule, Module } from '@nestjs/common';
import { icpNodeProviders, loggingModule, NodeCommands, NodeServiceConfig } from '@testausdeploy/service';
import { CapacityHandler } from './capacity/capacity.handler';
import { loadWorkerConfig, WorkerConfig } from './config/worker-config';
import { ContainersModule } from './containers/containers.module';
import { DeployModule } from './deploy/deploy.module';
import { WorkerCommands } from './worker-commands';

@Module({})
export class WorkerModule {
  static forRoot(node: NodeServiceConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [loggingModule(node.logLevel), DeployModule, ContainersModule],
      providers: [
        { provide: WorkerConfig, useValue: loadWorkerConfig(node) },
        CapacityHandler,
        { provide: NodeCommands, useClass: WorkerCommands },
        ...icpNodeProviders(node, 'testausdeploy-worker'),
      ],
      exports: [WorkerConfig],
    };
  }
}
