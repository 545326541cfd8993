import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { loggingModule } from '@testausdeploy/service';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { CallerGuard } from './auth/caller.guard';
import { Callers } from './auth/callers';
import { ManagerConfig } from './config/manager-config';
import { ContainersModule } from './containers/containers.module';
import { DashboardMiddleware } from './dashboard/dashboard.middleware';
import { DatabaseModule } from './database/database.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { EventsModule } from './events/events.module';
import { LiveModule } from './live/live.module';
import { MembersModule } from './members/members.module';
import { FirewallModule } from './firewall/firewall.module';
import { RoutesModule } from './routes/routes.module';
import { HealthController } from './health/health.controller';
import { DatabaseUnavailableFilter } from './http/database-unavailable.filter';
import { DomainErrorFilter } from './http/domain-error.filter';
import { SecurityHeadersMiddleware } from './http/security-headers.middleware';
import { Stopping } from './http/stopping';
import { KeysModule } from './keys/keys.module';
import { NodesModule } from './nodes/nodes.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ConfigurationModule } from './configuration/configuration.module';
import { MethodNotAllowedMiddleware } from './openapi/method-not-allowed.middleware';
import { ObservationsModule } from './observations/observations.module';
import { OpenApiController } from './openapi/openapi.controller';
import { OrganisationsModule } from './organisations/organisations.module';
import { PlacementModule } from './placement/placement.module';
import { PollingModule } from './polling/polling.module';
import { ProjectsModule } from './projects/projects.module';
import { SessionsModule } from './sessions/sessions.module';
import { SignInModule } from './sign-in/sign-in.module';
import { StatsModule } from './stats/stats.module';

@Module({})
export class ManagerModule implements NestModule {
  /** The whole Manager for a given configuration; tests build it the same way `main.ts` does. */
  static forRoot(config: ManagerConfig): DynamicModule {
    return {
      module: ManagerModule,
      global: true,
      imports: [
        loggingModule(config.LOG_LEVEL),
        CqrsModule.forRoot(),
        DatabaseModule,
        EventsModule,
        KeysModule,
        ObservationsModule,
        NodesModule,
        PlacementModule,
        MembersModule,
        SessionsModule,
        SignInModule,
        OrganisationsModule,
        ProjectsModule,
        AuditModule,
        DeploymentsModule,
        StatsModule,
        AdminModule,
        PollingModule,
        FirewallModule,
        RoutesModule,
        ContainersModule,
        LiveModule,
        NotificationsModule,
        ConfigurationModule,
      ],
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: ManagerConfig, useValue: config },
        Callers,
        Stopping,
        { provide: APP_GUARD, useClass: CallerGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
      ],
      exports: [ManagerConfig, Callers, Stopping],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SecurityHeadersMiddleware, DashboardMiddleware, MethodNotAllowedMiddleware).forRoutes('*');
  }
}
