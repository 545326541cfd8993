import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { NodeSessionOpened } from '../../nodes/node-session-opened.event';
import { RunDeploymentCommand } from '../commands/run-deployment.command';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';

/** How long a starting Manager waits for a Worker's session before running unfinished deployments anyway. */
const WORKER_GRACE_MS = 30_000;

/**
 * Sagas react to events as this process records them, so a Manager that stopped between recording a request
 * and recording its outcome would leave the deployment "requested" for ever. Once a Worker's session is up
 * after start (or, failing that, after a grace period, so nothing stays requested for ever), every such
 * deployment is run again, one after the other: deploying is idempotent on the Worker (the same commit and
 * compose file give the same containers), and the outcome is recorded as usual, so each ends succeeded or failed.
 */
@Injectable()
@EventsHandler(NodeSessionOpened)
export class UnfinishedDeployments
  implements OnApplicationBootstrap, OnApplicationShutdown, IEventHandler<NodeSessionOpened>
{
  private readonly logger = new Logger(UnfinishedDeployments.name);
  private resumed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setTimeout(() => this.resumeOnce(), WORKER_GRACE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  handle({ kind }: NodeSessionOpened): void {
    if (kind === 'worker') this.resumeOnce();
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

  /** Not awaited by the caller: the app serves meanwhile. */
  private resumeOnce(): void {
    if (this.resumed) return;
    this.resumed = true;
    if (this.timer) clearTimeout(this.timer);
    void this.resume().catch((error: Error) => this.logger.error(`resuming deployments: ${error.message}`));
  }
}
