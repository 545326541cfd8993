import { Module } from '@nestjs/common';
import { ClearRoutesHandler } from './commands/clear-routes.handler';
import { DelegateDomainsHandler } from './commands/delegate-domains.handler';
import { SetRoutesHandler } from './commands/set-routes.handler';
import { DelegatedDomains } from './delegated-domains';
import { DelegatedDomainsController } from './delegated-domains.controller';
import { DesiredRoutes } from './desired-routes';
import { MaintainerHostQuota } from './maintainer-host-quota';
import { RoutesProjection } from './projections/routes.projection';
import { GetProjectRoutesHandler } from './queries/get-project-routes.handler';
import { RouteChanges } from './route-changes';
import { RouteHandover } from './route-handover';
import { RouteHosts } from './route-hosts';
import { RouteSync } from './route-sync';
import { RoutedServices } from './routed-services';
import { RoutesController } from './routes.controller';
import { RoutesListener } from './routes.listener';
import { TrafficRecorder } from './traffic-recorder';

/**
 * Projects' routes through the proxy: set by maintainers and admins (host names of their own by admins, or under
 * the domains admins delegate), kept from events, sent to the Guardians.
 */
@Module({
  controllers: [RoutesController, DelegatedDomainsController],
  providers: [
    RoutesProjection,
    RouteHosts,
    RouteChanges,
    DesiredRoutes,
    DelegatedDomains,
    MaintainerHostQuota,
    RouteSync,
    RouteHandover,
    TrafficRecorder,
    RoutesListener,
    RoutedServices,
    SetRoutesHandler,
    ClearRoutesHandler,
    DelegateDomainsHandler,
    GetProjectRoutesHandler,
  ],
  exports: [RoutedServices, RouteHandover, RouteSync],
})
export class RoutesModule {}
