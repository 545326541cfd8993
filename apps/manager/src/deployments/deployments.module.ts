import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConfigurationModule } from '../configuration/configuration.module';
import { RoutesModule } from '../routes/routes.module';
import { ChangeLifecycleHandler } from './commands/change-lifecycle.handler';
import { RedeployHandler } from './commands/redeploy.handler';
import { RemoveProjectDeploymentsHandler } from './commands/remove-project-deployments.handler';
import { RequestDeploymentHandler } from './commands/request-deployment.handler';
import { RollbackDeploymentHandler } from './commands/rollback-deployment.handler';
import { RunDeploymentHandler } from './commands/run-deployment.handler';
import { BuildLogs } from './build-logs';
import { PreviousSuccess } from './previous-success';
import { ProjectLogs } from './project-logs';
import { SourceLocks } from './source-locks';
import { DeploymentRepository } from './deployment.repository';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsProjection } from './projections/deployments.projection';
import { GetContainerUsageHandler } from './queries/get-container-usage.handler';
import { GetDeploymentHandler } from './queries/get-deployment.handler';
import { ListDeploymentsHandler } from './queries/list-deployments.handler';
import { DeploymentSaga } from './sagas/deployment.saga';
import { UnfinishedDeployments } from './sagas/unfinished-deployments';

@Module({
  imports: [AuditModule, ConfigurationModule, RoutesModule],
  controllers: [DeploymentsController],
  providers: [
    DeploymentRepository,
    BuildLogs,
    SourceLocks,
    PreviousSuccess,
    ProjectLogs,
    DeploymentsProjection,
    RequestDeploymentHandler,
    RunDeploymentHandler,
    ChangeLifecycleHandler,
    RollbackDeploymentHandler,
    RedeployHandler,
    RemoveProjectDeploymentsHandler,
    GetDeploymentHandler,
    ListDeploymentsHandler,
    GetContainerUsageHandler,
    DeploymentSaga,
    UnfinishedDeployments,
  ],
  exports: [SourceLocks],
})
export class DeploymentsModule {}
