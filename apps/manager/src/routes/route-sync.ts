import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DriftReport, IcpClient, ProxyReport } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { RecordFirewallDriftCommand } from '../firewall/commands/record-firewall-drift.command';
import { GuardianStateSync, GuardianSyncStatus } from '../nodes/guardian-state-sync';
import { NodeConnections } from '../nodes/node-connections';
import { DesiredRoutes } from './desired-routes';

/**
 * Keeps every Guardian's proxy on the desired routes (`applyRoutes`): when its session opens, after every change
 * of a project's routes or of what runs, and every FIREWALL_SYNC_INTERVAL_MS.
 */
@Injectable()
export class RouteSync extends GuardianStateSync<ProxyReport, GuardianSyncStatus> {
  protected readonly what = "the proxy's routes";

  constructor(
    config: ManagerConfig,
    nodes: NodeConnections,
    private readonly desired: DesiredRoutes,
    private readonly commands: CommandBus,
  ) {
    super(nodes, config.FIREWALL_SYNC_INTERVAL_MS);
  }

  protected async send(client: IcpClient, acknowledgeDrift?: { boot: string; sequence: number }) {
    const state = await this.desired.state();
    return client.request('applyRoutes', { ...state, acknowledgeDrift }, { timeoutMs: 60_000 });
  }

  protected async recordDrift(guardian: string, drift: DriftReport): Promise<void> {
    await this.commands.execute(new RecordFirewallDriftCommand(guardian, drift, 'proxy'));
  }

  protected statusOf(report: ProxyReport | null, error: string | null) {
    return { at: new Date(), applied: report !== null, error };
  }
}
