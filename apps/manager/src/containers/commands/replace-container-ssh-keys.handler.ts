import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { WorkerContainers } from '../worker-containers';
import { ReplaceContainerSshKeysCommand } from './replace-container-ssh-keys.command';

/** Replaces the member's authorized keys in the container (the Worker checks each key). */
@CommandHandler(ReplaceContainerSshKeysCommand)
export class ReplaceContainerSshKeysHandler implements ICommandHandler<ReplaceContainerSshKeysCommand> {
  constructor(
    private readonly change: ContainerChange,
    private readonly worker: WorkerContainers,
  ) {}

  execute({ name, sshKeys, caller }: ReplaceContainerSshKeysCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureActive(),
      work: (container) => this.worker.request('setSshKeys', { name, user: container.spec.user, sshKeys }),
      record: (container) => container.replaceSshKeys(sshKeys),
    });
  }
}
