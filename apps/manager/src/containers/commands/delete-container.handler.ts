import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { DeleteContainerCommand } from './delete-container.command';

/** Deletes a container with its snapshots; its exported backups stay until deleted themselves. */
@CommandHandler(DeleteContainerCommand)
export class DeleteContainerHandler implements ICommandHandler<DeleteContainerCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, confirm, caller }: DeleteContainerCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureDeletable(confirm),
      work: () => this.worker.request('deleteContainer', { name }),
      record: (container) => container.delete(),
    });
  }
}
