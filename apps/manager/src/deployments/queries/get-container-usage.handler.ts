import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Unavailable } from '@testausdeploy/domain';
import { IcpResult } from '@testausdeploy/icp';
import { ProjectPlacements } from '../../placement/project-placements';
import { DeploymentRepository } from '../deployment.repository';
import { GetContainerUsageQuery } from './get-container-usage.query';

@QueryHandler(GetContainerUsageQuery)
export class GetContainerUsageHandler implements IQueryHandler<GetContainerUsageQuery> {
  constructor(
    private readonly repository: DeploymentRepository,
    private readonly placements: ProjectPlacements,
  ) {}

  async execute({ deploymentId }: GetContainerUsageQuery): Promise<IcpResult<'usage'>> {
    const { org, repo } = (await this.repository.load(deploymentId)).source;
    // None enrolled: 409, until an admin enrols one; its node unreachable: 503.
    const worker = await this.placements.workerOf(org, repo);
    try {
      return await worker.request('usage', { org, repo }, { timeoutMs: 30_000 });
    } catch (error) {
      throw new Unavailable(`the Worker could not report ${org}/${repo}: ${(error as Error).message}`);
    }
  }
}
