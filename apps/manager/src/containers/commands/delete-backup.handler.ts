import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { BackupLookup } from '../backup-lookup';
import { ContainerLocks } from '../container-locks';
import { ContainerRepository } from '../container.repository';
import { WorkerContainers } from '../worker-containers';
import { DeleteBackupCommand } from './delete-backup.command';

/**
 * Deletes an exported backup, also of a container that is gone; only its owner or an admin may. A file the
 * Worker no longer has is recorded as deleted too, so a record never outlives its file for good.
 */
@CommandHandler(DeleteBackupCommand)
export class DeleteBackupHandler implements ICommandHandler<DeleteBackupCommand> {
  constructor(
    private readonly lookup: BackupLookup,
    private readonly repository: ContainerRepository,
    private readonly locks: ContainerLocks,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ selector, caller }: DeleteBackupCommand): Promise<void> {
    await this.locks.run(await this.lookup.containerName(selector), async () => {
      const { container, backup } = await this.lookup.find(selector, caller);
      // Asked of the node whose backup directory holds it: its answer that the file is gone is the one that counts.
      await this.worker
        .request('deleteBackup', { name: container.name, backup: backup.key }, { node: backup.node })
        .catch((error: unknown) => {
          if (!(error instanceof NotFound)) throw error;
        });
      container.backupDeleted(backup);
      await this.repository.save(container, caller.actor);
    });
  }
}
