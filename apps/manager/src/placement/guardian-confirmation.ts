import { Injectable } from '@nestjs/common';
import { EventStore } from '@testausdeploy/events';
import { ReadModels } from '../events/read-models';
import { FirewallSync } from '../firewall/firewall-sync';
import { GuardianSyncStatus } from '../nodes/guardian-state-sync';
import { RouteSync } from '../routes/route-sync';

/** What this needs of a GuardianStateSync. */
interface Sync {
  sync(guardian: string): Promise<void>;
  status(guardian: string): GuardianSyncStatus | null;
}

/**
 * Whether a Guardian has taken the state the log holds now, both its firewall and its proxy's routes: each is
 * synced once more (a sync under way is followed by one more, see GuardianStateSync) and its report must be newer
 * than the question. Before a move removes the old copy of a project, the new node's Guardian must have its rules
 * and routes, or its requests would have nowhere to go.
 */
@Injectable()
export class GuardianConfirmation {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly firewall: FirewallSync,
    private readonly routes: RouteSync,
  ) {}

  /** Null once `guardian` took both within `withinMs`; otherwise why not, in words. */
  async took(guardian: string, withinMs: number): Promise<string | null> {
    const asked = new Date();
    await this.readModels.waitFor(await this.store.headPosition());
    const syncs = this.syncs();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
    const synced = Promise.all(syncs.map(([sync]) => sync.sync(guardian)));
    const outcome = await Promise.race([synced, late]).finally(() => clearTimeout(timer));
    if (outcome === 'late') return `${guardian} did not answer within ${withinMs / 1000} s`;
    for (const [sync, what] of syncs) {
      const status = sync.status(guardian);
      if (!status?.applied || status.at < asked) {
        return `${guardian} did not take ${what}: ${status?.error ?? 'its session is down'}`;
      }
    }
    return null;
  }

  private syncs(): [Sync, string][] {
    return [
      [this.firewall, 'the firewall rules'],
      [this.routes, "the proxy's routes"],
    ];
  }
}
