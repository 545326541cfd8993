import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { DeleteSnapshotCommand } from './delete-snapshot.command';

/** Deletes a snapshot. */
@CommandHandler(DeleteSnapshotCommand)
export class DeleteSnapshotHandler implements ICommandHandler<DeleteSnapshotCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, snapshot, caller }: DeleteSnapshotCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureSnapshot(snapshot),
      work: () => this.worker.request('deleteSnapshot', { name, snapshot }),
      record: (container) => container.snapshotDeleted(snapshot),
    });
  }
}
