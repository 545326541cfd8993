import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ContainerChange } from '../container-change';
import { SetContainerScheduleCommand } from './set-container-schedule.command';

/** Scheduled snapshots and backups with how many of each to keep; the ContainerScheduler runs them. */
@CommandHandler(SetContainerScheduleCommand)
export class SetContainerScheduleHandler implements ICommandHandler<SetContainerScheduleCommand> {
  constructor(private readonly change: ContainerChange) {}

  execute({ name, schedule, caller }: SetContainerScheduleCommand) {
    return this.change.run(name, caller, {
      check: (container) => container.ensureActive(),
      work: async () => undefined,
      record: (container) => container.setSchedule(schedule),
    });
  }
}
