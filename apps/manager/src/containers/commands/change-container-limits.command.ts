import { ContainerSpec } from '@testausdeploy/domain';
import { Caller } from '../../auth/caller';

export class ChangeContainerLimitsCommand {
  constructor(
    readonly name: string,
    readonly limits: ContainerSpec['limits'],
    readonly caller: Caller,
  ) {}
}
