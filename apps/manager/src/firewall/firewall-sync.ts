import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DriftReport, FirewallReport, IcpClient } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { GuardianStateSync, GuardianSyncStatus } from '../nodes/guardian-state-sync';
import { NodeConnections } from '../nodes/node-connections';
import { RecordFirewallDriftCommand } from './commands/record-firewall-drift.command';
import { DesiredFirewall } from './desired-firewall';

/** How the last firewall sync of a Guardian went. */
export interface FirewallSyncStatus extends GuardianSyncStatus {
  /** Whether dockerd's DOCKER-USER chain carries the Guardian's rules (null: no dockerd on that host). */
  dockerUser: boolean | null;
}

/**
 * Keeps every Guardian on the desired firewall state (`applyFirewall`): when its session opens, after every
 * change of the port rules, and every FIREWALL_SYNC_INTERVAL_MS.
 */
@Injectable()
export class FirewallSync extends GuardianStateSync<FirewallReport, FirewallSyncStatus> {
  protected readonly what = 'the firewall state';

  constructor(
    config: ManagerConfig,
    nodes: NodeConnections,
    private readonly desired: DesiredFirewall,
    private readonly commands: CommandBus,
  ) {
    super(nodes, config.FIREWALL_SYNC_INTERVAL_MS);
  }

  protected async send(
    client: IcpClient,
    acknowledgeDrift: { boot: string; sequence: number } | undefined,
    guardian: string,
  ) {
    const state = await this.desired.state(guardian);
    return client.request('applyFirewall', { ...state, acknowledgeDrift }, { timeoutMs: 60_000 });
  }

  protected async recordDrift(guardian: string, drift: DriftReport): Promise<void> {
    await this.commands.execute(new RecordFirewallDriftCommand(guardian, drift));
  }

  protected statusOf(report: FirewallReport | null, error: string | null, last: FirewallSyncStatus | null) {
    return {
      at: new Date(),
      applied: report !== null,
      error,
      dockerUser: report ? report.dockerUser : (last?.dockerUser ?? null),
    };
  }
}
