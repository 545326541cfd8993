import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ProjectAccess } from '../projects/project-access';
import { GetStatsQuery } from './queries/get-stats.query';

@Controller('stats')
export class StatsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: ProjectAccess,
  ) {}

  /**
   * Deploys per day and per organisation, success rate, mean deploy time, running containers per org: of every
   * project for an admin, of their own projects for a member.
   */
  @Get()
  @ForMembers()
  async get(@CurrentCaller() caller: Caller) {
    return this.queries.execute(new GetStatsQuery(await this.access.projectsOf(caller)));
  }
}
