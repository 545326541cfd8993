/**
 * The stats read model keeps facts, not counters: one record per deployment and one per repository, each
 * written with `$set`, so applying an event twice changes nothing. Totals are summed when asked for.
 */
export interface DeploymentRecord {
  _id: string;
  kind: 'deployment';
  org: string;
  repo: string;
  /** UTC day of the request, `YYYY-MM-DD`. */
  day: string;
  requestedAt: Date;
  succeeded: 0 | 1;
  failed: 0 | 1;
  /** Request to outcome, in ms; 0 until there is an outcome. */
  durationMs: number;
}

export interface RepositoryRecord {
  _id: string;
  kind: 'repository';
  org: string;
  /** Running containers as of the repository's latest successful deployment. */
  running: number;
}

export type StatsRecord = DeploymentRecord | RepositoryRecord;
