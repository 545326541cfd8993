import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../events/read-models';
import { StatsRecord } from '../stats-records';
import { STATS } from '../stats.projection';
import { DeployTotals, GetStatsQuery, Stats } from './get-stats.query';

interface Sums {
  _id: string | null;
  requested: number;
  succeeded: number;
  failed: number;
  durationMs: number;
}

@QueryHandler(GetStatsQuery)
export class GetStatsHandler implements IQueryHandler<GetStatsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(): Promise<Stats> {
    const [overall, perDay, perOrg, running] = await Promise.all([
      this.sumDeployments(null),
      this.sumDeployments('$day'),
      this.sumDeployments('$org'),
      this.stats()
        .aggregate<{ _id: string; running: number }>([
          { $match: { kind: 'repository' } },
          { $group: { _id: '$org', running: { $sum: '$running' } } },
        ])
        .toArray(),
    ]);
    const runningByOrg = new Map(running.map((row) => [row._id, row.running]));
    return {
      overall: totals(overall[0]),
      perDay: perDay
        .map((sums) => ({ day: String(sums._id), ...totals(sums) }))
        .sort((a, b) => a.day.localeCompare(b.day)),
      perOrg: perOrg
        .map((sums) => ({
          org: String(sums._id),
          ...totals(sums),
          runningContainers: runningByOrg.get(String(sums._id)) ?? 0,
        }))
        .sort((a, b) => a.org.localeCompare(b.org)),
    };
  }

  private stats() {
    return this.readModels.collection<StatsRecord>(STATS);
  }

  private sumDeployments(by: string | null): Promise<Sums[]> {
    return this.stats()
      .aggregate<Sums>([
        { $match: { kind: 'deployment' } },
        {
          $group: {
            _id: by,
            requested: { $sum: 1 },
            succeeded: { $sum: '$succeeded' },
            failed: { $sum: '$failed' },
            durationMs: { $sum: '$durationMs' },
          },
        },
      ])
      .toArray();
  }
}

function totals(sums: Sums | undefined): DeployTotals {
  const { requested = 0, succeeded = 0, failed = 0, durationMs = 0 } = sums ?? {};
  const finished = succeeded + failed;
  return {
    requested,
    succeeded,
    failed,
    successRate: finished > 0 ? succeeded / finished : null,
    meanDeployMs: finished > 0 ? Math.round(durationMs / finished) : null,
  };
}
