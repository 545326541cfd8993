import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EventStore } from '@testausdeploy/events';
import type { AuthenticatedRequest } from '../auth/caller.guard';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { lastEventId, liveEventsQuery, LiveEventsQuery } from './live-events.dto';
import { LiveStreams } from './live-streams';

const LAST_EVENT_ID = new ZodBody(lastEventId, 'Last-Event-ID header');

/** The event log as it grows, as server-sent events: for the dashboard, filtered by what the caller may see. */
@Controller('events')
@ForMembers()
export class LiveEventsController {
  constructor(
    private readonly store: EventStore,
    private readonly streams: LiveStreams,
  ) {}

  /**
   * From `Last-Event-ID` (or `after`) on, else from now: a reconnect misses nothing and repeats nothing. At most
   * 8 streams per caller at once.
   */
  @Get()
  async follow(
    @Query(new ZodBody(liveEventsQuery)) query: LiveEventsQuery,
    @Headers('last-event-id') header: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    const resumeAfter = LAST_EVENT_ID.transform(header);
    this.streams.admit(request);
    // A position past the end (a log restored from an older copy) continues from the end.
    const head = await this.store.headPosition();
    const after = Math.min(resumeAfter ?? query.after ?? head, head);
    await this.streams.serve(request, response, after);
  }
}
