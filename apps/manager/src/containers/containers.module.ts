import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { BackupLookup } from './backup-lookup';
import { BackupsController } from './backups.controller';
import { ActOnContainerHandler } from './commands/act-on-container.handler';
import { MoveContainerHandler } from './commands/move-container.handler';
import { ChangeContainerLimitsHandler } from './commands/change-container-limits.handler';
import { CreateContainerHandler } from './commands/create-container.handler';
import { CreateSnapshotHandler } from './commands/create-snapshot.handler';
import { DeleteBackupHandler } from './commands/delete-backup.handler';
import { DeleteContainerHandler } from './commands/delete-container.handler';
import { DeleteSnapshotHandler } from './commands/delete-snapshot.handler';
import { ExportBackupHandler } from './commands/export-backup.handler';
import { ReplaceContainerSshKeysHandler } from './commands/replace-container-ssh-keys.handler';
import { RestoreBackupHandler } from './commands/restore-backup.handler';
import { RestoreSnapshotHandler } from './commands/restore-snapshot.handler';
import { SetContainerScheduleHandler } from './commands/set-container-schedule.handler';
import { ContainerBackupsController } from './container-backups.controller';
import { ContainerImagesController } from './container-images.controller';
import { ContainerChange } from './container-change';
import { ContainerCreation } from './container-creation';
import { ContainerLocks } from './container-locks';
import { ContainerMoves } from './container-moves';
import { ContainerMovesController } from './container-moves.controller';
import { ContainerDirectory } from './container-directory';
import { ContainerProgress } from './container-progress';
import { ContainerScheduler } from './container-scheduler';
import { ContainerSnapshotsController } from './container-snapshots.controller';
import { ContainerRepository } from './container.repository';
import { ContainersController } from './containers.controller';
import { ContainersProjection } from './projections/containers.projection';
import { GetContainerProgressHandler } from './queries/get-container-progress.handler';
import { GetContainerHandler } from './queries/get-container.handler';
import { MemberQuotas } from './member-quotas';
import { QuotaController } from './quota.controller';
import { ListBackupsHandler } from './queries/list-backups.handler';
import { ListContainersHandler } from './queries/list-containers.handler';
import { UnfinishedContainers } from './unfinished-containers';
import { WorkerContainers } from './worker-containers';

/** Members' LXD containers: created, managed, snapshotted and backed up on the Worker, every change an event. */
@Module({
  imports: [AuditModule],
  controllers: [
    ContainersController,
    ContainerSnapshotsController,
    ContainerBackupsController,
    BackupsController,
    QuotaController,
    ContainerImagesController,
    ContainerMovesController,
  ],
  providers: [
    ContainersProjection,
    ContainerRepository,
    ContainerDirectory,
    ContainerCreation,
    ContainerChange,
    ContainerLocks,
    BackupLookup,
    MemberQuotas,
    ContainerScheduler,
    ContainerProgress,
    GetContainerProgressHandler,
    UnfinishedContainers,
    WorkerContainers,
    CreateContainerHandler,
    ActOnContainerHandler,
    ChangeContainerLimitsHandler,
    ReplaceContainerSshKeysHandler,
    DeleteContainerHandler,
    SetContainerScheduleHandler,
    CreateSnapshotHandler,
    RestoreSnapshotHandler,
    DeleteSnapshotHandler,
    ExportBackupHandler,
    RestoreBackupHandler,
    DeleteBackupHandler,
    ContainerMoves,
    MoveContainerHandler,
    ListContainersHandler,
    ListBackupsHandler,
    GetContainerHandler,
  ],
  exports: [ContainerScheduler],
})
export class ContainersModule {}
