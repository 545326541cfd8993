import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetStatsQuery } from './queries/get-stats.query';

@Controller('stats')
export class StatsController {
  constructor(private readonly queries: QueryBus) {}

  /** Deploys per day and per organisation, success rate, mean deploy time, running containers per org. */
  @Get()
  get() {
    return this.queries.execute(new GetStatsQuery());
  }
}
