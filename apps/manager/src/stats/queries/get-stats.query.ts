import { Query } from '@nestjs/cqrs';

export interface DeployTotals {
  requested: number;
  succeeded: number;
  failed: number;
  /** Succeeded over finished; null before anything finished. */
  successRate: number | null;
  /** Mean time from request to outcome, over finished deployments. */
  meanDeployMs: number | null;
}

export interface Stats {
  overall: DeployTotals;
  perDay: (DeployTotals & { day: string })[];
  perOrg: (DeployTotals & { org: string; runningContainers: number })[];
}

export class GetStatsQuery extends Query<Stats> {}
