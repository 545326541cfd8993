import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagerConfig } from '../../config/manager-config';
import { ContainerChange } from '../container-change';
import { MemberQuotas } from '../member-quotas';
import { WorkerContainers } from '../worker-containers';
import { CreateSnapshotCommand } from './create-snapshot.command';

/** A (stateless) snapshot of the container's filesystem, kept in the storage pool beside it, within the quotas. */
@CommandHandler(CreateSnapshotCommand)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshotCommand> {
  constructor(
    private readonly config: ManagerConfig,
    private readonly change: ContainerChange,
    private readonly quotas: MemberQuotas,
    private readonly worker: WorkerContainers,
  ) {}

  async execute({ name, snapshot, caller }: CreateSnapshotCommand) {
    let release: (() => void) | undefined;
    try {
      return await this.change.run(name, caller, {
        check: async (container) => {
          container.ensureNewSnapshot(snapshot, this.config.CONTAINER_MAX_SNAPSHOTS);
          release = await this.quotas.reserveSnapshot(container);
        },
        work: () => this.worker.request('createSnapshot', { name, snapshot }),
        record: (container, { createdAt }) => container.snapshotCreated(snapshot, createdAt),
      });
    } finally {
      release?.();
    }
  }
}
