import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Forbidden } from '@testausdeploy/domain';
import { ManagerConfig } from '../../config/manager-config';
import { ContainerChange } from '../container-change';
import { SetContainerScheduleCommand } from './set-container-schedule.command';

/**
 * Scheduled snapshots and backups with how many of each to keep, no more than a container may have; the
 * ContainerScheduler runs them.
 */
@CommandHandler(SetContainerScheduleCommand)
export class SetContainerScheduleHandler implements ICommandHandler<SetContainerScheduleCommand> {
  constructor(
    private readonly config: ManagerConfig,
    private readonly change: ContainerChange,
  ) {}

  execute({ name, schedule, caller }: SetContainerScheduleCommand) {
    const most = {
      snapshots: this.config.CONTAINER_MAX_SNAPSHOTS,
      backups: this.config.CONTAINER_MAX_BACKUPS,
    };
    for (const kind of ['snapshots', 'backups'] as const) {
      const keep = schedule[kind]?.keep ?? 0;
      if (keep > most[kind]) {
        throw new Forbidden(
          `${kind}.keep ${keep} is more than the ${most[kind]} ${kind} a container may have`,
        );
      }
    }
    return this.change.run(name, caller, {
      check: (container) => container.ensureActive(),
      work: async () => undefined,
      record: (container) => container.setSchedule(schedule),
    });
  }
}
