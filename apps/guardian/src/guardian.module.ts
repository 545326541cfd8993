import { DynamicModule, Module } from '@nestjs/common';
import { icpNodeProviders, loggingModule, NodeCommands, NodeServiceConfig } from '@testausdeploy/service';
import { GuardianConfig, loadGuardianConfig } from './config/guardian-config';
import { FirewallModule } from './firewall/firewall.module';
import { GuardianCommands } from './guardian-commands';
import { ProxyModule } from './proxy/proxy.module';

@Module({})
export class GuardianModule {
  static forRoot(node: NodeServiceConfig): DynamicModule {
    return {
      module: GuardianModule,
      global: true,
      imports: [loggingModule(node.logLevel), FirewallModule, ProxyModule],
      providers: [
        { provide: GuardianConfig, useValue: loadGuardianConfig(node) },
        { provide: NodeCommands, useClass: GuardianCommands },
        ...icpNodeProviders(node, 'testausdeploy-guardian'),
      ],
      exports: [GuardianConfig],
    };
  }
}
