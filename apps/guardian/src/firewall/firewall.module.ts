import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { GuardianConfig } from '../config/guardian-config';
import { firewallState, FirewallState } from '@testausdeploy/icp';
import { DesiredStateFile } from '../desired/desired-state-file';
import { DockerUserRules } from './docker-user';
import { Firewall } from './firewall';
import { FirewallHandler } from './firewall.handler';
import { HostCommands } from './host-commands';
import { NftTables } from './nft-tables';

@Module({
  providers: [
    {
      provide: HostCommands,
      inject: [GuardianConfig],
      useFactory: (config: GuardianConfig) => new HostCommands(config.NETNS),
    },
    { provide: NftTables, inject: [HostCommands], useFactory: (host: HostCommands) => new NftTables(host) },
    {
      provide: DockerUserRules,
      inject: [HostCommands, GuardianConfig],
      useFactory: (host: HostCommands, config: GuardianConfig) =>
        new DockerUserRules(host, config.CONTAINER_BRIDGES),
    },
    {
      provide: DesiredStateFile,
      inject: [GuardianConfig],
      useFactory: (config: GuardianConfig) =>
        new DesiredStateFile<FirewallState>(join(config.node.stateDir, 'firewall.json'), firewallState),
    },
    Firewall,
    FirewallHandler,
  ],
  exports: [FirewallHandler],
})
export class FirewallModule {}
