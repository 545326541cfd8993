import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerCreation } from '../container-creation';
import { ContainerRepository } from '../container.repository';
import { WorkerContainers } from '../worker-containers';
import { RestoreBackupCommand } from './restore-backup.command';

@CommandHandler(RestoreBackupCommand)
export class RestoreBackupHandler implements ICommandHandler<RestoreBackupCommand> {
  constructor(
    private readonly repository: ContainerRepository,
    private readonly creation: ContainerCreation,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ name, backup, newName, caller }: RestoreBackupCommand) {
    const source = await this.repository.loadFor(name, caller);
    source.ensureBackup(backup);
    const request = { name: newName, owner: source.owner, spec: source.spec, restoredFrom: { name, backup } };
    return this.creation.create(request, caller.actor, (sshPort, onProgress) =>
      this.worker.request('restoreBackup', { name, backup, newName, sshPort }, onProgress),
    );
  }
}
