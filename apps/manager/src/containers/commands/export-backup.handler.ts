import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { ExportBackupCommand } from './export-backup.command';

/** Exports the container to a tarball in the Worker's backup directory (not the storage pool). */
@CommandHandler(ExportBackupCommand)
export class ExportBackupHandler implements ICommandHandler<ExportBackupCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, backup, caller }: ExportBackupCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureNewBackup(backup),
      work: () => this.worker.request('exportBackup', { name, backup }),
      record: (container, { file, bytes, createdAt }) =>
        container.backupExported({ backup, file, bytes, createdAt }),
    });
  }
}
