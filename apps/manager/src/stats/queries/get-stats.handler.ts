import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { DayRecord, OrgRecord, RepositoryRecord, StatsRecord, Totals } from '../stats-records';
import { STATS } from '../stats.projection';
import { DeployTotals, GetStatsQuery, Stats } from './get-stats.query';

@QueryHandler(GetStatsQuery)
export class GetStatsHandler implements IQueryHandler<GetStatsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(): Promise<Stats> {
    const [days, orgs, repositories] = await Promise.all([
      this.records<DayRecord>('day'),
      this.records<OrgRecord>('org'),
      this.records<RepositoryRecord>('repository'),
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
    };
  }

  private records<R extends StatsRecord>(kind: R['kind']): Promise<R[]> {
    return this.readModels.collection<StatsRecord>(STATS).find({ kind }).toArray() as Promise<R[]>;
  }
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
