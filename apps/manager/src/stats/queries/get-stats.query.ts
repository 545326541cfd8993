import { Query } from '@nestjs/cqrs';
import { ProjectRef } from '../../projects/project-access';

export interface DeployTotals {
  requested: number;
  succeeded: number;
  failed: number;
  /** Succeeded over finished; null before anything finished. */
  successRate: number | null;
  /** Mean time from request to outcome, over finished deployments. */
  meanDeployMs: number | null;
}

/** The requests a project's host names got through the proxies over the last TRAFFIC_HOURS counted hours. */
export interface ProjectTraffic {
  org: string;
  repo: string;
  requests: number;
  serverErrors: number;
  /** Server errors over requests; null without requests. */
  errorRate: number | null;
}

export interface Stats {
  overall: DeployTotals;
  perDay: (DeployTotals & { day: string })[];
  perOrg: (DeployTotals & { org: string; runningContainers: number })[];
  /** Per project with requests counted over the last day's ended hours, busiest first. */
  traffic: ProjectTraffic[];
}

/** The stats of every project, or with `projects` those of these only (a member's). */
export class GetStatsQuery extends Query<Stats> {
  constructor(readonly projects: ProjectRef[] | null) {
    super();
  }
}
