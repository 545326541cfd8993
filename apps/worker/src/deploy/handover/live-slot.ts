import { Injectable } from '@nestjs/common';
import { AppsNetwork } from '../routes/apps-network';
import { ProjectSlots, Slots } from './project-slots';

/**
 * Which of a project's two slots runs the version that serves, as the Manager knows it. The Worker's own record
 * can be ahead of the Manager's: a redeploy beside the running version that finished here after the Manager gave up
 * on it (its time limit, or a restart of the Manager) moved the record to the new version, which the Manager never
 * recorded, so the proxies still send requests to the old one. Were the record believed, the next redeploy would
 * start in the old version's slot and remove it while it serves. The addresses the Manager routes to win, and the
 * record follows them.
 */
@Injectable()
export class LiveSlot {
  constructor(
    private readonly slots: ProjectSlots,
    private readonly appsNetwork: AppsNetwork,
  ) {}

  async of(
    org: string,
    repo: string,
    routedTo: readonly string[] | undefined,
    progress: (line: string) => void,
  ): Promise<Slots> {
    const slots = await this.slots.of(org, repo);
    if (!routedTo?.length) return slots;
    const holders = await this.appsNetwork.holders(routedTo);
    const [holder, ...more] = new Set(routedTo.map((address) => holders.get(address)));
    // Addresses no container holds, or held across both slots, say nothing the record does not.
    if (more.length > 0 || holder !== slots.other) return slots;
    await this.slots.serve(slots.project, holder);
    progress(
      `the proxy sends requests to ${holder}, not to ${slots.live} as this Worker had it (a deployment whose ` +
        `answer the Manager did not record): ${holder} runs the version that serves`,
    );
    return { project: slots.project, live: holder, other: slots.live };
  }
}
