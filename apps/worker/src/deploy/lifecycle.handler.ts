import { Injectable } from '@nestjs/common';
import { CommandContext, IcpData, IcpError, IcpErrorCode, IcpResult } from '@testausdeploy/icp';
import { ComposeCli } from './compose-cli';
import { LiveSlot } from './handover/live-slot';
import { ProjectSlots, slotNames } from './handover/project-slots';
import { ComposeGate } from './policy/compose-gate';
import { ProjectContainers } from './project-containers';
import { ProjectCheckouts } from './workspace/project-checkouts';
import { ProjectData } from './workspace/project-data';
import { ProjectLocks } from './workspace/project-locks';
import { AppsNetwork } from './routes/apps-network';
import { WorkerAllowList } from './worker-allow-list';

/**
 * ICP `lifecycle`: stop, start, restart or remove a deployed project, through its checked compose file (in the
 * sandbox, like every compose run).
 */
@Injectable()
export class LifecycleHandler {
  constructor(
    private readonly allowList: WorkerAllowList,
    private readonly compose: ComposeCli,
    private readonly gate: ComposeGate,
    private readonly containers: ProjectContainers,
    private readonly checkouts: ProjectCheckouts,
    private readonly data: ProjectData,
    private readonly locks: ProjectLocks,
    private readonly appsNetwork: AppsNetwork,
    private readonly slots: ProjectSlots,
    private readonly liveSlot: LiveSlot,
  ) {}

  async run(
    { org, repo, action, removeVolumes, routedTo }: IcpData<'lifecycle'>,
    context: CommandContext,
  ): Promise<IcpResult<'lifecycle'>> {
    this.allowList.check(org);
    const { project: name } = await this.slots.of(org, repo);
    return this.locks.run(name, async () => {
      // Read under the lock: a deployment may have switched the version that serves.
      const output = (line: string) => context.progress(line);
      const { live, other } = await this.liveSlot.of(org, repo, routedTo, output);
      const project = await this.gate.admitted(live);
      if (!project)
        throw new IcpError(IcpErrorCode.CommandFailed, `${org}/${repo} is not deployed on this Worker`);
      if (action === 'stop') {
        await this.compose.stop(project, output);
        // An old version a handover left running (its retirement never came) stops for good.
        await this.containers.removeContainers(other);
      }
      if (action === 'start') await this.compose.start(project, output);
      if (action === 'restart') await this.compose.restart(project, output);
      if (action === 'remove') {
        // An old version a handover left (its retirement never came) goes too, first: it may hold the named
        // volumes both versions share, which would then be in use. It stops as the live one does, given its time.
        await this.containers.removeContainers(other);
        await this.compose.remove(project, removeVolumes, output);
        await Promise.all([live, other].map((slot) => this.gate.forget(slot)));
        await this.slots.forget(name);
        await this.checkouts.removeAll(name);
        // The data of bind mounts goes with the named volumes, and so does the project's claim on its name.
        if (removeVolumes) await this.data.remove(name);
      }
      return { containers: await this.containers.list(live) };
    });
  }

  /**
   * ICP `removeProject`: everything of the project goes, deployed or not (a removal kept its volumes). Also of an
   * organisation taken off the allow-list since: removing is how its projects leave the host.
   */
  async removeProject(
    { org, repo }: IcpData<'removeProject'>,
    context: CommandContext,
  ): Promise<IcpResult<'removeProject'>> {
    const slots = slotNames(org, repo);
    const [name] = slots;
    return this.locks.run(name, async () => {
      // Both versions' containers go before either slot's volumes: the named volumes are the project's, shared by
      // the two slots, and a container of the other slot would keep them in use.
      for (const slot of slots) await this.containers.removeContainers(slot);
      for (const slot of slots) {
        const project = await this.gate.admitted(slot);
        if (project) await this.compose.remove(project, true, (line) => context.progress(line));
        await this.containers.removeAll(slot);
        await this.gate.forget(slot);
        this.appsNetwork.release(slot);
      }
      await this.slots.forget(name);
      await this.checkouts.removeAll(name);
      await this.data.remove(name);
      context.progress(`everything of ${org}/${repo} is removed from this Worker`);
      return {};
    });
  }
}
