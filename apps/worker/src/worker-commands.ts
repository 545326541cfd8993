import { Injectable } from '@nestjs/common';
import { IcpHandlers } from '@testausdeploy/icp';
import { NodeCommands, SERVICE_VERSION } from '@testausdeploy/service';
import { CapacityHandler } from './capacity/capacity.handler';
import { ContainerCommands } from './containers/container-commands';
import { ContainerLogsHandler } from './deploy/container-logs.handler';
import { DeployHandler } from './deploy/deploy.handler';
import { HeadHandler } from './deploy/head.handler';
import { LifecycleHandler } from './deploy/lifecycle.handler';
import { RetireHandler } from './deploy/handover/retire.handler';
import { UsageHandler } from './deploy/usage.handler';

/** The ICP commands a Worker serves. */
@Injectable()
export class WorkerCommands extends NodeCommands {
  constructor(
    private readonly deployHandler: DeployHandler,
    private readonly lifecycleHandler: LifecycleHandler,
    private readonly headHandler: HeadHandler,
    private readonly usageHandler: UsageHandler,
    private readonly containerCommands: ContainerCommands,
    private readonly containerLogsHandler: ContainerLogsHandler,
    private readonly retireHandler: RetireHandler,
    private readonly capacityHandler: CapacityHandler,
  ) {
    super();
  }

  handlers(): IcpHandlers {
    return {
      health: async () => ({ service: 'worker', version: SERVICE_VERSION }),
      deploy: (data, context) => this.deployHandler.deploy(data, context),
      lifecycle: (data, context) => this.lifecycleHandler.run(data, context),
      removeProject: (data, context) => this.lifecycleHandler.removeProject(data, context),
      retire: (data, context) => this.retireHandler.retire(data, context),
      head: (data) => this.headHandler.head(data),
      usage: (data) => this.usageHandler.usage(data),
      ...this.containerCommands.handlers(),
      containerLogs: (data, context) => this.containerLogsHandler.read(data, context),
      capacity: () => this.capacityHandler.capacity(),
    };
  }
}
