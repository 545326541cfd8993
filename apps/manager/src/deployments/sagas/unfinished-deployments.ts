import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { NodeCapacities } from '../../nodes/node-capacities';
import { NodeSessionOpened } from '../../nodes/node-session-opened.event';
import { ProjectPlacements } from '../../placement/project-placements';
import { RunDeploymentCommand } from '../commands/run-deployment.command';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';

/** How long a starting Manager waits for the Workers' sessions before running unfinished deployments anyway. */
const WORKER_GRACE_MS = 30_000;

/**
 * Sagas react to events as this process records them, so a Manager that stopped between recording a request
 * and recording its outcome would leave the deployment "requested" for ever. Once a Worker's session is up
 * after start, every such deployment of a project placed on it (or not placed yet) is run again, one after the
 * other; after a grace period, every one left (so nothing stays requested for ever, though one whose node is
 * still down then fails with that reason): deploying is idempotent on the Worker (the same commit and
 * compose file give the same containers), and the outcome is recorded as usual, so each ends succeeded or failed.
 */
@Injectable()
@EventsHandler(NodeSessionOpened)
export class UnfinishedDeployments
  implements OnApplicationBootstrap, OnApplicationShutdown, IEventHandler<NodeSessionOpened>
{
  private readonly logger = new Logger(UnfinishedDeployments.name);
  /** The Workers whose projects' deployments this process resumed; `*` once the grace period is over. */
  private readonly resumed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly readModels: ReadModels,
    private readonly commands: CommandBus,
    private readonly placements: ProjectPlacements,
    private readonly capacities: NodeCapacities,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setTimeout(() => this.resumeOnce('*'), WORKER_GRACE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  handle({ kind, name }: NodeSessionOpened): void {
    if (kind === 'worker') this.resumeOnce(name);
  }

  /** Runs again the unfinished deployments of the projects on `node` (and those not placed yet); `*`: all. */
  async resume(node = '*'): Promise<void> {
    await this.readModels.started;
    // A project not placed yet is placed by its first run, which needs the Worker's capacity.
    if (node !== '*') await this.capacities.refresh(node);
    const unfinished = await this.readModels
      .collection<DeploymentView>(DEPLOYMENTS)
      .find({ status: 'requested' }, { projection: { _id: 1, org: 1, repo: 1, moveTo: 1 } })
      .toArray();
    for (const { _id: deploymentId, org, repo, moveTo } of unfinished) {
      // A move runs on the node it moves to.
      const on = node === '*' ? null : (moveTo ?? (await this.placements.nodeOf(org, repo)));
      if (on !== null && on !== node) continue;
      this.logger.warn(
        `deployment ${deploymentId} was left unfinished by a stopped Manager: running it again`,
      );
      const cause = { actor: 'system', correlationId: deploymentId, causationId: 'manager-restart' };
      await this.commands
        .execute(new RunDeploymentCommand(deploymentId, cause))
        .catch((error: Error) => this.logger.error(`deployment ${deploymentId}: ${error.message}`));
    }
  }

  /** Once per node, and once for all; not awaited by the caller: the app serves meanwhile. */
  private resumeOnce(node: string): void {
    if (this.resumed.has(node) || this.resumed.has('*')) return;
    this.resumed.add(node);
    void this.resume(node).catch((error: Error) =>
      this.logger.error(`resuming deployments: ${error.message}`),
    );
  }
}
