import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { ContainerProgress } from '../container-progress';
import { WorkerContainers } from '../worker-containers';
import { ExportBackupCommand } from './export-backup.command';

/** Exports the container to a tarball in the Worker's backup directory (not the storage pool). */
@CommandHandler(ExportBackupCommand)
export class ExportBackupHandler implements ICommandHandler<ExportBackupCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
    private readonly progress: ContainerProgress,
  ) {}

  execute({ name, backup, caller }: ExportBackupCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureNewBackup(backup),
      work: () =>
        this.progress.track(name, `exportBackup ${backup}`, (onProgress) =>
          this.worker.request('exportBackup', { name, backup }, onProgress),
        ),
      record: (container, { file, bytes, createdAt }) =>
        container.backupExported({ backup, file, bytes, createdAt }),
    });
  }
}
