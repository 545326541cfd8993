import { Module } from '@nestjs/common';
import { LiveEventsController } from './live-events.controller';
import { LiveStreams } from './live-streams';

/** Live events: the log's new events streamed to the dashboard, each caller seeing what is theirs to see. */
@Module({
  controllers: [LiveEventsController],
  providers: [LiveStreams],
})
export class LiveModule {}
