import { randomBytes } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagerConfig } from '../../config/manager-config';
import { ContainerChange } from '../container-change';
import { ContainerProgress } from '../container-progress';
import { BackupRoom, MemberQuotas } from '../member-quotas';
import { WorkerContainers } from '../worker-containers';
import { ExportBackupCommand } from './export-backup.command';

/**
 * Exports the container to a tarball in the Worker's backup directory (not the storage pool), within the
 * owner's quotas: the Worker stops it past the bytes left. The file is named by a new id, not by the backup's
 * name, so a later container of the same name never meets it.
 */
@CommandHandler(ExportBackupCommand)
export class ExportBackupHandler implements ICommandHandler<ExportBackupCommand> {
  constructor(
    private readonly config: ManagerConfig,
    private readonly change: ContainerChange,
    private readonly quotas: MemberQuotas,
    private readonly worker: WorkerContainers,
    private readonly progress: ContainerProgress,
  ) {}

  async execute({ name, backup, caller }: ExportBackupCommand) {
    const id = `b-${randomBytes(8).toString('hex')}`;
    let room: BackupRoom | undefined;
    try {
      return await this.change.run(name, caller, {
        check: async (container) => {
          container.ensureNewBackup(backup, this.config.CONTAINER_MAX_BACKUPS);
          room = await this.quotas.reserveBackup(container);
        },
        work: (container) =>
          this.progress.track(container, `exportBackup ${backup}`, (onProgress) =>
            this.worker.request(
              'exportBackup',
              { name, backup: id, maxBytes: room!.maxBytes },
              { onProgress },
            ),
          ),
        record: (container, { file, bytes, createdAt }) =>
          container.backupExported({ id, backup, file, bytes, createdAt }),
      });
    } finally {
      room?.release();
    }
  }
}
