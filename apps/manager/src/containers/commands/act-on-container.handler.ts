import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { ActOnContainerCommand } from './act-on-container.command';

/** Starts, stops or restarts a container. */
@CommandHandler(ActOnContainerCommand)
export class ActOnContainerHandler implements ICommandHandler<ActOnContainerCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, action, caller }: ActOnContainerCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureActive(),
      work: () => this.worker.request('containerAction', { name, action }),
      record: (container) => container.act(action),
    });
  }
}
