import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { DeleteBackupCommand } from './delete-backup.command';

/** Deletes an exported backup, also of a container that is gone. */
@CommandHandler(DeleteBackupCommand)
export class DeleteBackupHandler implements ICommandHandler<DeleteBackupCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, backup, caller }: DeleteBackupCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureBackup(backup),
      work: () => this.worker.request('deleteBackup', { name, backup }),
      record: (container) => container.backupDeleted(backup),
    });
  }
}
