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
      // The backup's file is in its node's backup directory: the container is made there.
      placement: () => ({
        node: backup.node ?? this.worker.legacyNode(`the backup ${backup.backup}`),
        rule: 'named' as const,
        reason: `where its backup ${backup.backup} is`,
      }),
    };
    return this.creation.create(request, caller.actor, (sshPort, onProgress, node) =>
      this.worker.request('restoreBackup', { name, backup: key, newName, sshPort }, { node, onProgress }),
    );
  }
}
