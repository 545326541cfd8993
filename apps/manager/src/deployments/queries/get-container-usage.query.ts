import { Query } from '@nestjs/cqrs';
import { IcpResult } from '@testausdeploy/icp';

/** The containers of a deployment's project as they are now: state, restarts, CPU, memory (asks the Worker). */
export class GetContainerUsageQuery extends Query<IcpResult<'usage'>> {
  constructor(readonly deploymentId: string) {
    super();
  }
}
