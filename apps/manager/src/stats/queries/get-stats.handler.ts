import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Filter } from 'mongodb';
import { ReadModels } from '../../events/read-models';
import { ofProjects, ProjectRef } from '../../projects/project-access';
import {
  DayRecord,
  OrgRecord,
  ProjectDayRecord,
  RepositoryRecord,
  StatsRecord,
  Totals,
  TrafficHourRecord,
} from '../stats-records';
import { STATS } from '../stats.projection';
import { DeployTotals, GetStatsQuery, ProjectTraffic, Stats } from './get-stats.query';

/** How far back `traffic` sums the hours counted. */
const TRAFFIC_MS = 24 * 60 * 60_000;

type Days = Pick<DayRecord, 'day' | keyof Totals>[];
type Orgs = Pick<OrgRecord, 'org' | keyof Totals>[];

@QueryHandler(GetStatsQuery)
export class GetStatsHandler implements IQueryHandler<GetStatsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ projects }: GetStatsQuery): Promise<Stats> {
    const [[days, orgs, repositories], hours] = await Promise.all([
      projects === null ? this.all() : this.ofProjects(projects),
      this.records<TrafficHourRecord>('traffic-hour', {
        ...(projects && ofProjects(projects)),
        hour: { $gte: new Date(Date.now() - TRAFFIC_MS).toISOString() },
      }),
    ]);
    const running = new Map<string, number>();
    for (const { org, running: count } of repositories) running.set(org, (running.get(org) ?? 0) + count);
    return {
      overall: totals(days),
      perDay: days
        .map((record) => ({ day: record.day, ...totals([record]) }))
        .sort((a, b) => a.day.localeCompare(b.day)),
      perOrg: orgs
        .map((record) => ({
          org: record.org,
          ...totals([record]),
          runningContainers: running.get(record.org) ?? 0,
        }))
        .sort((a, b) => a.org.localeCompare(b.org)),
      traffic: traffic(hours),
    };
  }

  private all(): Promise<[Days, Orgs, RepositoryRecord[]]> {
    return Promise.all([
      this.records<DayRecord>('day'),
      this.records<OrgRecord>('org'),
      this.records<RepositoryRecord>('repository'),
    ]);
  }

  /** Per day and per organisation, summed over the days of these repositories only. */
  private async ofProjects(projects: ProjectRef[]): Promise<[Days, Orgs, RepositoryRecord[]]> {
    const [projectDays, repositories] = await Promise.all([
      this.records<ProjectDayRecord>('project-day', ofProjects(projects)),
      this.records<RepositoryRecord>('repository', ofProjects(projects)),
    ]);
    const days = sumBy(projectDays, 'day').map(([day, sum]) => ({ day, ...sum }));
    const orgs = sumBy(projectDays, 'org').map(([org, sum]) => ({ org, ...sum }));
    return [days, orgs, repositories];
  }

  private records<R extends StatsRecord>(kind: R['kind'], filter: Filter<StatsRecord> = {}): Promise<R[]> {
    return this.readModels
      .collection<StatsRecord>(STATS)
      .find({ ...filter, kind })
      .toArray() as Promise<R[]>;
  }
}

/** The records' totals summed per value of `key`. */
function sumBy(records: ProjectDayRecord[], key: 'day' | 'org'): [string, Totals][] {
  const sums = new Map<string, Totals>();
  for (const record of records) {
    const sum = sums.get(record[key]) ?? { requested: 0, succeeded: 0, failed: 0, durationMs: 0 };
    sums.set(record[key], {
      requested: sum.requested + record.requested,
      succeeded: sum.succeeded + record.succeeded,
      failed: sum.failed + record.failed,
      durationMs: sum.durationMs + record.durationMs,
    });
  }
  return [...sums];
}

/** The hours summed per project, busiest first. */
function traffic(hours: TrafficHourRecord[]): ProjectTraffic[] {
  const sums = new Map<string, ProjectTraffic>();
  for (const { org, repo, requests, serverErrors } of hours) {
    const sum = sums.get(`${org}/${repo}`) ?? { org, repo, requests: 0, serverErrors: 0, errorRate: null };
    sums.set(`${org}/${repo}`, {
      ...sum,
      requests: sum.requests + requests,
      serverErrors: sum.serverErrors + serverErrors,
    });
  }
  return [...sums.values()]
    .map((sum) => ({ ...sum, errorRate: sum.requests > 0 ? sum.serverErrors / sum.requests : null }))
    .sort((a, b) => b.requests - a.requests || `${a.org}/${a.repo}`.localeCompare(`${b.org}/${b.repo}`));
}

function totals(records: Totals[]): DeployTotals {
  const sum = (field: keyof Totals) => records.reduce((total, record) => total + record[field], 0);
  const [requested, succeeded, failed, durationMs] = [
    sum('requested'),
    sum('succeeded'),
    sum('failed'),
    sum('durationMs'),
  ];
  const finished = succeeded + failed;
  return {
    requested,
    succeeded,
    failed,
    successRate: finished > 0 ? succeeded / finished : null,
    meanDeployMs: finished > 0 ? Math.round(durationMs / finished) : null,
  };
}
