import { Injectable } from '@nestjs/common';
import { CommandContext, IcpHandlers } from '@testausdeploy/icp';
import { BackupTransferHandler } from './backup-transfer.handler';
import { BackupsHandler } from './backups.handler';
import { asIcpError } from './container-errors';
import { ContainerLifecycleHandler } from './container-lifecycle.handler';
import { ContainerQueriesHandler } from './container-queries.handler';
import { CreateContainerHandler } from './create-container.handler';
import { SnapshotsHandler } from './snapshots.handler';

/** LXD's refusals reach the Manager as ICP errors with LXD's message (see asIcpError). */
function passingLxdErrors<D, R>(
  handler: (data: D, context: CommandContext) => Promise<R>,
): (data: D, context: CommandContext) => Promise<R> {
  return (data, context) =>
    handler(data, context).catch((err: unknown) => {
      throw asIcpError(err);
    });
}

/** The ICP commands of members' containers, as the Worker serves them. */
@Injectable()
export class ContainerCommands {
  constructor(
    private readonly create: CreateContainerHandler,
    private readonly lifecycle: ContainerLifecycleHandler,
    private readonly queries: ContainerQueriesHandler,
    private readonly snapshots: SnapshotsHandler,
    private readonly backups: BackupsHandler,
    private readonly transfer: BackupTransferHandler,
  ) {}

  handlers(): IcpHandlers {
    return {
      createContainer: passingLxdErrors((data, context) => this.create.create(data, context)),
      containerAction: passingLxdErrors((data) => this.lifecycle.action(data)),
      deleteContainer: passingLxdErrors((data) => this.lifecycle.delete(data)),
      setContainerLimits: passingLxdErrors((data) => this.lifecycle.setLimits(data)),
      setSshKeys: passingLxdErrors((data) => this.lifecycle.setSshKeys(data)),
      listContainers: passingLxdErrors(() => this.queries.list()),
      showContainer: passingLxdErrors((data) => this.queries.show(data)),
      containerImages: passingLxdErrors(() => this.queries.images()),
      createSnapshot: passingLxdErrors((data) => this.snapshots.create(data)),
      listSnapshots: passingLxdErrors((data) => this.snapshots.list(data)),
      restoreSnapshot: passingLxdErrors((data) => this.snapshots.restore(data)),
      deleteSnapshot: passingLxdErrors((data) => this.snapshots.delete(data)),
      exportBackup: passingLxdErrors((data, context) => this.backups.export(data, context)),
      listBackups: passingLxdErrors((data) => this.backups.list(data)),
      deleteBackup: passingLxdErrors((data) => this.backups.delete(data)),
      restoreBackup: passingLxdErrors((data, context) => this.backups.restore(data, context)),
      readBackup: (data) => this.transfer.read(data),
      writeBackup: (data) => this.transfer.write(data),
    };
  }
}
