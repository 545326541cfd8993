import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ComposeGate } from '../policy/compose-gate';
import { ProjectContainers } from '../project-containers';
import { ProjectCheckouts } from '../workspace/project-checkouts';
import { ProjectLocks } from '../workspace/project-locks';
import { WorkerAllowList } from '../worker-allow-list';
import { ProjectSlots } from './project-slots';

/**
 * ICP `retire`: the old version of a zero-downtime redeploy goes once the proxy sends requests to the new one.
 * It keeps answering the requests it has for `drainMs`, then its containers stop (each with its own
 * `stop_grace_period`) and go with its networks and checked file; the project's volumes and data stay, and so does
 * every checkout the version that serves mounts.
 */
@Injectable()
export class RetireHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly slots: ProjectSlots,
    private readonly containers: ProjectContainers,
    private readonly gate: ComposeGate,
    private readonly checkouts: ProjectCheckouts,
    private readonly locks: ProjectLocks,
  ) {}

  async retire(
    { org, repo, slot, drainMs }: IcpData<'retire'>,
    context: CommandContext,
  ): Promise<IcpResult<'retire'>> {
    this.allowList.check(org);
    await this.retirable(org, repo, slot);
    context.progress(`the old version (${slot}) finishes its requests for ${Math.round(drainMs / 1000)} s`);
    await sleep(drainMs);
    const { project } = await this.slots.of(org, repo);
    return this.locks.run(project, async () => {
      // A deployment that ran in the meantime may have put a version there again.
      const { live } = await this.retirable(org, repo, slot);
      const removed = await this.containers.removeContainers(slot);
      await this.gate.forget(slot);
      // The checkout the serving version's checked file names stays, and any its containers mount from.
      const serving = await this.gate.admitted(live);
      await this.checkouts.prune(project, [
        ...(serving?.readable ?? []),
        ...(await this.containers.mountSources(live)),
      ]);
      context.progress(`the old version (${slot}) is retired: ${removed} containers removed`);
      return { removed };
    });
  }

  private async retirable(org: string, repo: string, slot: string) {
    const slots = await this.slots.of(org, repo);
    if (slot === slots.live) {
      throw new IcpError(IcpErrorCode.Conflict, `${slot} runs the version of ${org}/${repo} that serves`);
    }
    if (slot !== slots.other) {
      throw new IcpError(IcpErrorCode.Forbidden, `${slot} is not a compose project of ${org}/${repo}`);
    }
    return slots;
  }
}
