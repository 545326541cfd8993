import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Observations } from '@testausdeploy/domain';
import { CertificateState, DriftReport, IcpClient, ProxyReport, ProxyState } from '@testausdeploy/icp';
import { ManagerConfig } from '../config/manager-config';
import { RecordFirewallDriftCommand } from '../firewall/commands/record-firewall-drift.command';
import { GuardianStateSync, GuardianSyncStatus } from '../nodes/guardian-state-sync';
import { NodeConnections } from '../nodes/node-connections';
import { ObservationRecorder } from '../observations/observation-recorder';
import { DesiredRoutes } from './desired-routes';
import { TrafficRecorder } from './traffic-recorder';

/** How the last sync of a Guardian's proxy went, with its host names' certificates as it reported them. */
export interface RouteSyncStatus extends GuardianSyncStatus {
  certificates: CertificateState[];
  /** Each host name's requests since the Guardian started (`requestsSince`), as it last reported them. */
  requests: ProxyReport['requests'];
  requestsSince: string | null;
}

/** A host name's requests over every Guardian, since the earliest of their starts. */
export interface HostTraffic {
  requests: number;
  serverErrors: number;
  since: string;
}

/**
 * Keeps every Guardian's proxy on the desired routes (`applyRoutes`): when its session opens, after every change
 * of a project's routes or of what runs, and every FIREWALL_SYNC_INTERVAL_MS. A host name whose certificate the
 * proxy failed to get is recorded once per streak (`CertificateFailed`), which its project's channels hear of, and
 * the requests of each ended hour once (`TrafficCounted`, traffic-recorder.ts).
 */
@Injectable()
export class RouteSync extends GuardianStateSync<ProxyReport, RouteSyncStatus> {
  protected readonly what = "the proxy's routes";
  /** `guardian host` pairs whose certificate was failed at the last report. */
  private readonly failing = new Set<string>();

  constructor(
    config: ManagerConfig,
    nodes: NodeConnections,
    private readonly desired: DesiredRoutes,
    private readonly commands: CommandBus,
    private readonly observations: ObservationRecorder,
    private readonly hourly: TrafficRecorder,
  ) {
    super(nodes, config.FIREWALL_SYNC_INTERVAL_MS);
  }

  /** Every host name's requests as the Guardians last reported them, summed. */
  traffic(): Map<string, HostTraffic> {
    const sums = new Map<string, HostTraffic>();
    for (const { requests, requestsSince } of this.statuses()) {
      for (const { host, requests: count, serverErrors } of requests) {
        const sum = sums.get(host) ?? { requests: 0, serverErrors: 0, since: requestsSince ?? '' };
        sums.set(host, {
          requests: sum.requests + count,
          serverErrors: sum.serverErrors + serverErrors,
          since: requestsSince && requestsSince < sum.since ? requestsSince : sum.since,
        });
      }
    }
    return sums;
  }

  /** Every host name's certificate as the Guardians last reported it. */
  certificates(): Map<string, CertificateState> {
    return new Map(this.statuses().flatMap(({ certificates }) => certificates.map((one) => [one.host, one])));
  }

  protected async send(
    client: IcpClient,
    acknowledgeDrift: { boot: string; sequence: number } | undefined,
    guardian: string,
  ) {
    const state = await this.desired.state(guardian);
    const report = await client.request('applyRoutes', { ...state, acknowledgeDrift }, { timeoutMs: 60_000 });
    await this.observeFailures(guardian, state, report.certificates);
    await this.hourly.record(guardian, state, report.hours);
    return report;
  }

  protected async recordDrift(guardian: string, drift: DriftReport): Promise<void> {
    await this.commands.execute(new RecordFirewallDriftCommand(guardian, drift, 'proxy'));
  }

  protected statusOf(report: ProxyReport | null, error: string | null, last: RouteSyncStatus | null) {
    return {
      at: new Date(),
      applied: report !== null,
      error,
      certificates: report ? report.certificates : (last?.certificates ?? []),
      requests: report ? report.requests : (last?.requests ?? []),
      requestsSince: report ? report.requestsSince : (last?.requestsSince ?? null),
    };
  }

  private async observeFailures(guardian: string, state: ProxyState, certificates: CertificateState[]) {
    const owners = new Map(state.routes.flatMap(({ owner, hosts }) => hosts.map((host) => [host, owner])));
    for (const { host, state: now, reason } of certificates) {
      const key = `${guardian} ${host}`;
      if (now !== 'failed') {
        this.failing.delete(key);
        continue;
      }
      const project = /^project:([^/]+)\/(.+)$/.exec(owners.get(host) ?? '');
      if (this.failing.has(key) || !project) continue;
      this.failing.add(key);
      const [, org, repo] = project;
      await this.observations
        .record(
          () => Observations.ofCertificates(org, repo),
          (seen) => seen.certificateFailed({ org, repo, host, guardian, reason: reason ?? 'unknown' }),
          `guardian:${guardian}`,
        )
        .catch((error: Error) =>
          this.logger.error(`recording ${host}'s failed certificate: ${error.message}`),
        );
    }
  }
}
