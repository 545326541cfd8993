/**
 * The stats read model keeps running totals, one record per day, per organisation and per repository and day
 * (what a member's stats are summed from), the latest container count per repository, and the requests each
 * project's host names got through the proxies per hour. Each record carries the position of the last event counted in it, so an
 * event delivered again after a crash is not counted twice.
 */
export interface Totals {
  requested: number;
  succeeded: number;
  failed: number;
  /** Summed request-to-outcome times of the finished deployments, in ms. */
  durationMs: number;
}

export interface DayRecord extends Totals {
  _id: `day:${string}`;
  kind: 'day';
  /** UTC day of the requests counted, `YYYY-MM-DD`. */
  day: string;
  position: number;
}

export interface OrgRecord extends Totals {
  _id: `org:${string}`;
  kind: 'org';
  org: string;
  position: number;
}

export interface ProjectDayRecord extends Totals {
  _id: `project-day:${string}`;
  kind: 'project-day';
  org: string;
  repo: string;
  day: string;
  position: number;
}

/** A request without an outcome yet: what its outcome is counted against. Deleted by the outcome. */
export interface PendingRecord {
  _id: `pending:${string}`;
  kind: 'pending';
  org: string;
  repo: string;
  day: string;
  requestedAt: Date;
}

export interface RepositoryRecord {
  _id: `repository:${string}`;
  kind: 'repository';
  org: string;
  repo: string;
  /** Running containers as of the repository's latest successful deployment. */
  running: number;
  position: number;
}

/** The requests a project's host names got through the proxies over one hour (`hour`: its start), summed. */
export interface TrafficHourRecord {
  _id: `traffic:${string}`;
  kind: 'traffic-hour';
  org: string;
  repo: string;
  hour: string;
  requests: number;
  serverErrors: number;
  position: number;
}

export type StatsRecord =
  DayRecord | OrgRecord | ProjectDayRecord | PendingRecord | RepositoryRecord | TrafficHourRecord;
