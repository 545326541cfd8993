import { Injectable } from '@nestjs/common';
import { NotFound, Unavailable } from '@testausdeploy/domain';
import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { ProjectPlacements } from '../placement/project-placements';
import { DeploymentRepository } from './deployment.repository';
import { ContainerLogsParams } from './dto/container-logs.dto';

/** Reading a tail takes dockerd a moment; following runs until the reader goes away. */
const TAIL_TIMEOUT_MS = 60_000;

export type LogReader = (onLine: (line: string) => void, signal?: AbortSignal) => Promise<void>;

/** A deployed project's container output, read through the Worker (ICP `containerLogs`). */
@Injectable()
export class ProjectLogs {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly placements: ProjectPlacements,
  ) {}

  /**
   * Checks everything that can be refused with a status (no such deployment, not deployed, no Worker) before
   * a response starts, and returns the reading itself. A cancelled reading ends quietly.
   */
  async open(deploymentId: string, params: ContainerLogsParams): Promise<LogReader> {
    const deployment = await this.repository.load(deploymentId);
    deployment.ensureDeployed();
    const { org, repo } = deployment.source;
    const worker = await this.placements.workerOf(org, repo);
    return async (onLine, signal) => {
      const timeoutMs = params.follow ? Infinity : TAIL_TIMEOUT_MS;
      try {
        await worker.request(
          'containerLogs',
          { org, repo, ...params },
          { timeoutMs, signal, onProgress: onLine },
        );
      } catch (error) {
        const code = error instanceof IcpError ? error.code : null;
        if (code === IcpErrorCode.Cancelled) return;
        if (code === IcpErrorCode.NotFound) throw new NotFound((error as Error).message);
        throw new Unavailable(`the Worker could not read ${org}/${repo}: ${(error as Error).message}`);
      }
    };
  }
}
