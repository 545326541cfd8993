import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagerConfig } from '../../config/manager-config';
import { checkQuota } from '../container-quota';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { ChangeContainerLimitsCommand } from './change-container-limits.command';

/** New CPU, memory and disk limits within the quota; the Worker restarts a running container for a CPU change. */
@CommandHandler(ChangeContainerLimitsCommand)
export class ChangeContainerLimitsHandler implements ICommandHandler<ChangeContainerLimitsCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
    private readonly config: ManagerConfig,
  ) {}

  execute({ name, limits, caller }: ChangeContainerLimitsCommand) {
    checkQuota(limits, this.config);
    return this.change.run(name, caller, {
      check: (container) => container.ensureActive(),
      work: () => this.worker.request('setContainerLimits', { name, limits }),
      record: (container, { restarted }) => container.changeLimits(limits, restarted),
    });
  }
}
