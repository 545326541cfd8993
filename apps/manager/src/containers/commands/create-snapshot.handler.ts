import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { CreateSnapshotCommand } from './create-snapshot.command';

/** A (stateless) snapshot of the container's filesystem, kept in the storage pool beside it. */
@CommandHandler(CreateSnapshotCommand)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshotCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, snapshot, caller }: CreateSnapshotCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureNewSnapshot(snapshot),
      work: () => this.worker.request('createSnapshot', { name, snapshot }),
      record: (container, { createdAt }) => container.snapshotCreated(snapshot, createdAt),
    });
  }
}
