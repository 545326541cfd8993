import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ProjectSlots } from './handover/project-slots';
import { ContainerLogs } from './container-logs';
import { LineRate } from './line-rate';
import { ProjectContainers } from './project-containers';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `containerLogs`: a deployed project's container output as progress lines, at a bounded rate. Following
 * ends when the containers stop or the Manager cancels the request (its signal closes the docker streams).
 */
@Injectable()
export class ContainerLogsHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly containers: ProjectContainers,
    private readonly slots: ProjectSlots,
    private readonly logs: ContainerLogs,
  ) {}

  async read(
    { org, repo, service, tail, follow, since }: IcpData<'containerLogs'>,
    { progress, signal }: CommandContext,
  ): Promise<IcpResult<'containerLogs'>> {
    this.allowList.check(org);
    const all = await this.containers.list((await this.slots.of(org, repo)).live);
    const chosen = service ? all.filter((container) => container.service === service) : all;
    if (!chosen.length) {
      const what = service ? `no container of service "${service}"` : 'no containers';
      throw new IcpError(IcpErrorCode.NotFound, `${org}/${repo} has ${what} on this Worker`);
    }
    const rate = new LineRate(progress);
    try {
      await this.logs.read(chosen, { tail, follow, since, signal }, (line) => rate.offer(line));
    } finally {
      rate.close();
    }
    return { lines: rate.sent, dropped: rate.dropped };
  }
}
