import { Module } from '@nestjs/common';
import { WorkerConfig } from '../config/worker-config';
import { AddressFiltering } from './address-filtering';
import { BackupDirectory } from './backup-directory';
import { BackupTransferHandler } from './backup-transfer.handler';
import { BackupsHandler } from './backups.handler';
import { ContainerCapacity } from './container-capacity';
import { ContainerCommands } from './container-commands';
import { ContainerLifecycleHandler } from './container-lifecycle.handler';
import { ContainerPlacement } from './container-placement';
import { ContainerQueriesHandler } from './container-queries.handler';
import { ContainerSetup } from './container-setup';
import { CreateContainerHandler } from './create-container.handler';
import { LxdClient } from './lxd/lxd-client';
import { MemberContainers } from './member-containers';
import { SnapshotsHandler } from './snapshots.handler';

/** Members' LXD containers: created, managed, snapshotted and backed up on the Manager's ICP commands. */
@Module({
  providers: [
    {
      provide: LxdClient,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) => new LxdClient(config.LXD_SOCKET, config.LXD_PROJECT),
    },
    MemberContainers,
    AddressFiltering,
    ContainerPlacement,
    ContainerSetup,
    CreateContainerHandler,
    ContainerLifecycleHandler,
    ContainerQueriesHandler,
    SnapshotsHandler,
    BackupDirectory,
    BackupsHandler,
    BackupTransferHandler,
    ContainerCommands,
    ContainerCapacity,
  ],
  exports: [ContainerCommands, ContainerCapacity],
})
export class ContainersModule {}
