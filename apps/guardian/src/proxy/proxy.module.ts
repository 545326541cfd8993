import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { proxyState, ProxyState } from '@testausdeploy/icp';
import { GuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { CaddyAdmin } from './caddy-admin';
import { ReverseProxy } from './reverse-proxy';

/** The reverse proxy's routes, held in Caddy through its admin API ([docs/proxy.md]). */
@Module({
  providers: [
    {
      provide: ReverseProxy,
      inject: [GuardianConfig],
      useFactory: (config: GuardianConfig) =>
        new ReverseProxy(
          config,
          config.PROXY_ADMIN_SOCKET ? new CaddyAdmin(config.PROXY_ADMIN_SOCKET) : null,
          new DesiredStateFile<ProxyState>(join(config.node.stateDir, 'routes.json'), proxyState),
        ),
    },
  ],
  exports: [ReverseProxy],
})
export class ProxyModule {}
