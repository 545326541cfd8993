import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BackupLookup } from '../backup-lookup';
import { ContainerRepository } from '../container.repository';
import { WorkerContainers } from '../worker-containers';
import { DeleteBackupCommand } from './delete-backup.command';

/** Deletes an exported backup, also of a container that is gone; only its owner or an admin may. */
@CommandHandler(DeleteBackupCommand)
export class DeleteBackupHandler implements ICommandHandler<DeleteBackupCommand> {
  constructor(
    private readonly lookup: BackupLookup,
    private readonly repository: ContainerRepository,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ selector, caller }: DeleteBackupCommand): Promise<void> {
    const { container, backup } = await this.lookup.find(selector, caller);
    await this.worker.request('deleteBackup', { name: container.name, backup: backup.id });
    container.backupDeleted(backup);
    await this.repository.save(container, caller.actor);
  }
}
