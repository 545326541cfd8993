import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { auditEntry } from '../audit/audit-entry';
import type { AuthenticatedRequest } from '../auth/caller.guard';
import { Callers } from '../auth/callers';
import { EventStream } from './event-stream';
import { EventVisibility } from './event-visibility';
import { followLog } from './follow-log';

/** How often an idle stream sends a comment, and asks again whether its caller still gets in. */
const HEARTBEAT_MS = 15_000;

/** Events after which a caller may no longer get in: their session ended, or their member changed. */
const ABOUT_CALLERS = new Set([
  'SignedOut',
  'SessionExpired',
  'MemberRemoved',
  'MemberTokenReplaced',
  'MemberRoleChanged',
]);

/**
 * The open live event streams (`GET /events`): each follows the log from where its client asked, sends the
 * events its caller may see, and ends when the caller no longer gets in (sign-out, expiry, removal, a new
 * token or role), when the client goes away or reads too slowly, or when the Manager stops.
 */
@Injectable()
export class LiveStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<AbortController>();
  private readonly logger = new Logger(LiveStreams.name);

  constructor(
    private readonly store: EventStore,
    private readonly callers: Callers,
  ) {}

  async serve(request: AuthenticatedRequest, response: Response, after: number): Promise<void> {
    const stop = new AbortController();
    this.open.add(stop);
    response.on('close', () => stop.abort());
    const stream = new EventStream(response, stop.signal);
    const visibility = new EventVisibility(this.store, request.caller);
    const refuse = async () => {
      const problem = await this.problemWith(request);
      if (problem) {
        stream.send({ event: 'end', data: { reason: problem } });
        stop.abort();
      }
      return problem !== null;
    };
    const heartbeat = setInterval(() => {
      stream.comment('still here');
      void refuse();
    }, HEARTBEAT_MS);
    try {
      stream.open();
      stream.send({ id: after, event: 'ready', data: { after } });
      for await (const events of followLog(this.store, after, stop.signal)) {
        if (events.some((event) => ABOUT_CALLERS.has(event.type)) && (await refuse())) break;
        await this.sendVisible(stream, visibility, events);
        if (!(await stream.flushed())) break;
      }
    } catch (error) {
      this.logger.warn(`the live event stream of ${request.caller.actor} ended: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      this.open.delete(stop);
      stream.end();
    }
  }

  beforeApplicationShutdown(): void {
    for (const stop of this.open) stop.abort();
  }

  private async sendVisible(stream: EventStream, visibility: EventVisibility, events: StoredEvent[]) {
    for (const event of events) {
      if (await visibility.visible(event)) stream.send({ id: event.position, data: auditEntry(event) });
    }
  }

  /** Why the stream's caller no longer gets in (or is someone else now), or null. */
  private async problemWith(request: AuthenticatedRequest): Promise<string | null> {
    const found = await this.callers.ofRequest(request).catch(() => null);
    if (!found) return null; // the database is down: the stream's own reads end it if that lasts
    if ('problem' in found) return found.problem;
    const before = request.caller;
    const now = found.caller;
    return now.memberId === before.memberId && now.role === before.role
      ? null
      : 'your role changed: sign in again';
  }
}
