import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { RestoreSnapshotCommand } from './restore-snapshot.command';

/** Puts the container's filesystem back to a snapshot. */
@CommandHandler(RestoreSnapshotCommand)
export class RestoreSnapshotHandler implements ICommandHandler<RestoreSnapshotCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, snapshot, caller }: RestoreSnapshotCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureSnapshot(snapshot),
      work: () => this.worker.request('restoreSnapshot', { name, snapshot }),
      record: (container) => container.snapshotRestored(snapshot),
    });
  }
}
