import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { RunDeploymentCommand } from '../commands/run-deployment.command';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';

/**
 * Sagas react to events as this process records them, so a Manager that stopped between recording a request
 * and recording its outcome would leave the deployment "requested" for ever. On start, every such deployment
 * is run again, one after the other: deploying is idempotent on the Worker (the same commit and compose file
 * give the same containers), and the outcome is recorded as usual, so each ends succeeded or failed.
 */
@Injectable()
export class UnfinishedDeployments implements OnApplicationBootstrap {
  private readonly logger = new Logger(UnfinishedDeployments.name);

  constructor(
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
  ) {}

  /** Not awaited: the app starts serving meanwhile. */
  onApplicationBootstrap(): void {
    void this.resume().catch((error: Error) => this.logger.error(`resuming deployments: ${error.message}`));
  }

  async resume(): Promise<void> {
    await this.readModels.started;
    const unfinished = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find({ status: 'requested' }, { projection: { _id: 1 } })
      .toArray();
    for (const { _id: deploymentId } of unfinished) {
      this.logger.warn(
        `deployment ${deploymentId} was left unfinished by a stopped Manager: running it again`,
      );
      const cause = { actor: 'system', correlationId: deploymentId, causationId: 'manager-restart' };
      await this.commands
        .execute(new RunDeploymentCommand(deploymentId, cause))
        .catch((error: Error) => this.logger.error(`deployment ${deploymentId}: ${error.message}`));
    }
  }
}
