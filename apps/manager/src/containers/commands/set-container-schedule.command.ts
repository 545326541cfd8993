import { ContainerSchedule } from '@testausdeploy/domain';
import { Caller } from '../../auth/caller';

export class SetContainerScheduleCommand {
  constructor(
    readonly name: string,
    readonly schedule: ContainerSchedule,
    readonly caller: Caller,
  ) {}
}
