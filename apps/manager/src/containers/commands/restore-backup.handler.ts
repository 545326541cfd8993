import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BackupLookup } from '../backup-lookup';
import { ContainerCreation } from '../container-creation';
import { WorkerContainers } from '../worker-containers';
import { RestoreBackupCommand } from './restore-backup.command';

@CommandHandler(RestoreBackupCommand)
export class RestoreBackupHandler implements ICommandHandler<RestoreBackupCommand> {
  constructor(
    private readonly lookup: BackupLookup,
    private readonly creation: ContainerCreation,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ selector, newName, caller }: RestoreBackupCommand) {
    const { container, backup } = await this.lookup.find(selector, caller);
    const { name } = container;
    const { id, key, owner, ownerId, spec } = backup;
    const request = {
      name: newName,
      owner,
      ownerId,
      spec,
      restoredFrom: { name, backup: backup.backup, id },
    };
    return this.creation.create(request, caller.actor, (sshPort, onProgress) =>
      this.worker.request('restoreBackup', { name, backup: key, newName, sshPort }, onProgress),
    );
  }
}
