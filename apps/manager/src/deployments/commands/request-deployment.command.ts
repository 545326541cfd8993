import { Command } from '@nestjs/cqrs';
import { DeploymentSourceProps } from '@testausdeploy/domain';
import { PlacementWish } from '../../placement/project-placements';

/** A member asks for a branch of a repository to be deployed with the given compose file. */
export class RequestDeploymentCommand extends Command<{ deploymentId: string }> {
  constructor(
    readonly source: DeploymentSourceProps,
    readonly actor: string,
    /** The client's Idempotency-Key: repeating the request answers with the deployment it created. */
    readonly commandId: string | null,
    /** Where the project goes if this is its first deployment (else: where it runs must match). */
    readonly wish: PlacementWish = {},
    /** A move's deployment: it runs on this node (MoveProjectHandler checked it). */
    readonly moveTo?: string,
  ) {
    super();
  }
}
