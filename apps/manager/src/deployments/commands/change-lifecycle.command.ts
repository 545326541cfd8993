import { Command } from '@nestjs/cqrs';
import { LifecycleAction } from '@testausdeploy/domain';
import { DeploymentView } from '../projections/deployment-view';

/** Someone stops, starts, restarts or removes the project a deployment brought up. */
export class ChangeLifecycleCommand extends Command<DeploymentView> {
  constructor(
    readonly deploymentId: string,
    readonly action: LifecycleAction,
    readonly actor: string,
    /** With `remove`: the project's named volumes go too. */
    readonly removeVolumes = false,
  ) {
    super();
  }
}
