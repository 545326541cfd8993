import { DynamicModule, Module } from '@nestjs/common';
import { icpNodeProviders, loggingModule, NodeCommands, NodeServiceConfig } from '@testausdeploy/service';
import { GuardianCommands } from './guardian-commands';

@Module({})
export class GuardianModule {
  static forRoot(node: NodeServiceConfig): DynamicModule {
    return {
      module: GuardianModule,
      imports: [loggingModule(node.logLevel)],
      providers: [
        { provide: NodeCommands, useClass: GuardianCommands },
        ...icpNodeProviders(node, 'testausdeploy-guardian'),
      ],
    };
  }
}
