import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagerConfig } from '../../config/manager-config';
import { NodeConnections } from '../../nodes/node-connections';
import { BuildLogs } from '../build-logs';
import { DeploymentRepository } from '../deployment.repository';
import { RunDeploymentCommand } from './run-deployment.command';

@CommandHandler(RunDeploymentCommand)
export class RunDeploymentHandler implements ICommandHandler<RunDeploymentCommand> {
  private readonly logger = new Logger(RunDeploymentHandler.name);

  constructor(
    private readonly repository: DeploymentRepository,
    private readonly nodes: NodeConnections,
    private readonly config: ManagerConfig,
    private readonly buildLogs: BuildLogs,
  ) {}

  async execute({ deploymentId, cause }: RunDeploymentCommand): Promise<void> {
    const deployment = await this.repository.load(deploymentId);
    const source = deployment.source;
    const log = this.buildLogs.open(deploymentId);
    try {
      const result = await this.nodes.worker().request(
        'deploy',
        {
          deploymentId,
          ...source,
          ...(deployment.pinned && {
            commit: deployment.pinned.commit,
            composeDigest: deployment.pinned.composeDigest,
          }),
        },
        {
          timeoutMs: this.config.DEPLOY_TIMEOUT_MS,
          onProgress: (line) => {
            log(line);
            this.logger.debug({ deploymentId, line });
          },
        },
      );
      deployment.succeed(result.commit, result.composeDigest, result.containers, result.diskBytes);
    } catch (error) {
      deployment.fail(error instanceof Error ? error.message : String(error));
    }
    await this.buildLogs.close(deploymentId);
    await this.repository.save(deployment, cause);
  }
}
