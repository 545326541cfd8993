import { Module } from '@nestjs/common';
import { ClearRoutesHandler } from './commands/clear-routes.handler';
import { SetRoutesHandler } from './commands/set-routes.handler';
import { DesiredRoutes } from './desired-routes';
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

/** Projects' routes through the proxy: set by maintainers and admins, kept from events, sent to the Guardians. */
@Module({
  controllers: [RoutesController],
  providers: [
    RoutesProjection,
    RouteHosts,
    RouteChanges,
    DesiredRoutes,
    RouteSync,
    RouteHandover,
    TrafficRecorder,
    RoutesListener,
    RoutedServices,
    SetRoutesHandler,
    ClearRoutesHandler,
    GetProjectRoutesHandler,
  ],
  exports: [RoutedServices, RouteHandover],
})
export class RoutesModule {}
