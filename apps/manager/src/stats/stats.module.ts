import { Module } from '@nestjs/common';
import { GetStatsHandler } from './queries/get-stats.handler';
import { StatsController } from './stats.controller';
import { StatsProjection } from './stats.projection';

@Module({ controllers: [StatsController], providers: [StatsProjection, GetStatsHandler] })
export class StatsModule {}
