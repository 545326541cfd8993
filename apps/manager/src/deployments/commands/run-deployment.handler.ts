import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Deployment } from '@testausdeploy/domain';
import { IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ManagerConfig } from '../../config/manager-config';
import { ConfigurationValues } from '../../configuration/configuration-values';
import { ReadModels } from '../../events/read-models';
import { NodeConnections } from '../../nodes/node-connections';
import { ProjectMoves } from '../../placement/project-moves';
import { ProjectPlacements } from '../../placement/project-placements';
import { ProjectAccess } from '../../projects/project-access';
import { ProjectRemovals } from '../../projects/project-removals';
import { RouteHandover } from '../../routes/route-handover';
import { RoutedServices } from '../../routes/routed-services';
import { DeploymentView } from '../projections/deployment-view';
import { DEPLOYMENTS } from '../projections/deployments.projection';
import { BuildLogs } from '../build-logs';
import { DeploymentRepository } from '../deployment.repository';
import { PreviousSuccess } from '../previous-success';
import { SourceLocks } from '../source-locks';
import { RollbackDeploymentCommand } from './rollback-deployment.command';
import { RunDeploymentCommand } from './run-deployment.command';

/** The Worker's first progress line names the commit it checked out (deploy.handler.ts). */
const CHECKED_OUT = /^checked out \S+ at ([0-9a-f]{40,64})$/;

@CommandHandler(RunDeploymentCommand)
export class RunDeploymentHandler implements ICommandHandler<RunDeploymentCommand> {
  private readonly logger = new Logger(RunDeploymentHandler.name);

  constructor(
    private readonly repository: DeploymentRepository,
    private readonly placements: ProjectPlacements,
    private readonly config: ManagerConfig,
    private readonly buildLogs: BuildLogs,
    private readonly locks: SourceLocks,
    private readonly previous: PreviousSuccess,
    private readonly commands: CommandBus,
    private readonly configuration: ConfigurationValues,
    private readonly readModels: ReadModels,
    private readonly access: ProjectAccess,
    private readonly removals: ProjectRemovals,
    private readonly routed: RoutedServices,
    private readonly handover: RouteHandover,
    private readonly moves: ProjectMoves,
    private readonly connections: NodeConnections,
  ) {}

  async execute({ deploymentId, cause }: RunDeploymentCommand): Promise<void> {
    const requested = await this.repository.load(deploymentId);
    const { org, repo } = requested.source;
    const lock = { org, repo, deploymentId, requestedBy: requested.requestedBy };
    const after = await this.locks.run(lock, async (held) => {
      // Read again once the lock is held: whoever held it before may have ended this attempt (its project removed).
      const deployment = await this.repository.load(deploymentId);
      if (deployment.status !== 'requested') return;
      if (await this.endedWithItsProject(deployment.source, deploymentId)) {
        deployment.removedWithProject('system');
        await this.repository.save(deployment, cause);
        return;
      }
      const log = this.buildLogs.open(deploymentId);
      let handover: IcpResult<'deploy'>['handover'];
      try {
        const result = await this.deploy(deployment, (line) => {
          log(line);
          held.commit ??= CHECKED_OUT.exec(line)?.[1] ?? null;
          this.logger.debug({ deploymentId, line });
        });
        const { handover: how, ...outcome } = result;
        deployment.succeed({
          ...outcome,
          ...(how && {
            handover: how.mode === 'beside' ? { mode: how.mode } : { mode: how.mode, reason: how.reason },
          }),
        });
        handover = how;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const rollBackTo = await this.rollbackTarget(deployment, error);
        const { moveTo } = deployment;
        // A move that failed replaced nothing: the project runs on where it ran, and the new node is cleared.
        if (moveTo) await this.moves.removeFrom(org, repo, moveTo, log);
        deployment.fail(
          rollBackTo
            ? `${reason}; rolling back to ${rollBackTo.commit} (deployment ${rollBackTo.id})`
            : moveTo
              ? `moving to ${moveTo} failed, and ${org}/${repo} runs on where it ran: ${reason}`
              : reason,
          held.commit,
        );
        await this.buildLogs.close(deploymentId);
        await this.repository.save(deployment, cause);
        // Queued behind this deployment's lock: it runs once this one has let go.
        if (rollBackTo) await this.commands.execute(new RollbackDeploymentCommand(rollBackTo.id, 'system'));
        return;
      }
      // A move switches before its success is recorded: a Manager that stops in between runs the attempt again,
      // and finds the switch made.
      const movedFrom = deployment.moveTo
        ? await this.moves.switch(org, repo, deployment.moveTo, deployment.requestedBy, log)
        : null;
      await this.repository.save(deployment, cause);
      const retire = handover?.mode === 'beside' ? handover.retire : null;
      if (!retire && !movedFrom) await this.buildLogs.close(deploymentId);
      return { retire, movedFrom, actor: deployment.requestedBy, log };
    });
    if (!after || (!after.retire && !after.movedFrom)) return;
    // With the source free again, so that a stop, a restart or the next deployment need not wait: the routes switch
    // to the upstreams the recorded success reports, and the old version goes after its drain time; a move's old
    // copy goes once the new node's Guardian has the project's rules and routes.
    if (after.retire) await this.handover.complete(org, repo, after.retire, after.log);
    if (after.movedFrom) await this.moves.finish(org, repo, after.movedFrom, after.actor, after.log);
    await this.buildLogs.close(deploymentId);
  }

  /** Whether its project is being removed, or was removed since it was requested: then it never runs. */
  private async endedWithItsProject(
    { org, repo }: { org: string; repo: string },
    id: string,
  ): Promise<boolean> {
    if (this.removals.isRemoving(org, repo)) return true;
    const view = await this.readModels.collection<DeploymentView>(DEPLOYMENTS).findOne({ _id: id });
    return !view || (await this.access.endedWithItsProject(view));
  }

  /**
   * A deployment whose containers came up but did not become healthy replaced the version that ran before: it
   * is rolled back to the previous successful attempt of its source. A rollback that fails is not rolled
   * back again; a failed build or an unreachable Worker left the old containers running, so nothing to undo.
   */
  private async rollbackTarget(deployment: Deployment, error: unknown) {
    const replacedNothing = deployment.pinned || deployment.moveTo;
    if (!(error instanceof IcpError) || error.code !== IcpErrorCode.Unhealthy || replacedNothing) return null;
    return this.previous.of(deployment.source, deployment.id);
  }

  /**
   * The variables travel in clear inside this one command (over mutual TLS) and nowhere else. The routed services
   * are the project's routes as they are now, a rollback's too: the routes are not part of a version.
   */
  private async deploy(deployment: Deployment, onProgress: (line: string) => void) {
    const { pinned, configurationVersion, moveTo } = deployment;
    const { org, repo } = deployment.source;
    const variables = await this.configuration.at(org, repo, configurationVersion);
    const routes = await this.routed.of(org, repo);
    const routedTo = await this.routed.routedTo(org, repo);
    const data = {
      deploymentId: deployment.id,
      ...deployment.source,
      ...(pinned && { commit: pinned.commit, composeDigest: pinned.composeDigest }),
      ...(variables.length > 0 && { variables }),
      ...(routes.length > 0 && { routes }),
      // A new node serves nothing of the project yet: nothing there to keep.
      ...(routedTo.length > 0 && !moveTo && { routedTo }),
    };
    const worker = moveTo
      ? this.connections.workerOn(moveTo)
      : await this.placements.workerToDeploy(org, repo);
    return worker.request('deploy', data, {
      timeoutMs: this.config.DEPLOY_TIMEOUT_MS,
      onProgress,
    });
  }
}
