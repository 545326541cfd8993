import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { auditEntry } from '../audit/audit-entry';
import type { AuthenticatedRequest } from '../auth/caller.guard';
import { Callers } from '../auth/callers';
import { ReadModels } from '../events/read-models';
import { Stopping } from '../http/stopping';
import { ProjectAccess } from '../projects/project-access';
import { EventStream } from './event-stream';
import { EventVisibility } from './event-visibility';
import { followLog } from './follow-log';

/** How often an idle stream sends a comment, and asks again whether its caller still gets in. */
const HEARTBEAT_MS = 15_000;

/** Streams one caller may hold open at once (a few tabs); more is refused with 429. */
const STREAMS_PER_CALLER = 8;

/** Events after which a caller may no longer get in: their session ended, or their member changed. */
const ABOUT_CALLERS = new Set([
  'SignedOut',
  'SessionExpired',
  'MemberRemoved',
  'MemberTokenReplaced',
  'MemberRoleChanged',
  'MemberTokenRevoked',
]);

/**
 * The open live event streams (`GET /events`): each follows the log from where its client asked, sends the
 * events its caller may see, and ends when the caller no longer gets in (sign-out, expiry, removal, a new
 * token or role), when the client goes away or reads too slowly, or when the Manager stops.
 */
@Injectable()
export class LiveStreams {
  private readonly open = new Map<AbortController, string>();
  private readonly logger = new Logger(LiveStreams.name);

  constructor(
    private readonly store: EventStore,
    private readonly callers: Callers,
    private readonly readModels: ReadModels,
    private readonly stopping: Stopping,
    private readonly access: ProjectAccess,
  ) {}

  /** Refuses a caller who holds as many streams as they may, before anything is sent. */
  admit(request: AuthenticatedRequest): void {
    const held = [...this.open.values()].filter((actor) => actor === request.caller.actor).length;
    if (held >= STREAMS_PER_CALLER) {
      throw new HttpException(
        `you have ${held} live event streams open, the most one caller may: close one (a tab) first`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async serve(request: AuthenticatedRequest, response: Response, after: number): Promise<void> {
    const stop = new AbortController();
    response.on('close', () => stop.abort());
    // The client may have gone while the request was authenticated: then 'close' has already been.
    if (response.destroyed || request.socket.destroyed) return;
    this.stopping.refuseLastingAnswer(response);
    const ended = () => stop.abort();
    this.stopping.signal.addEventListener('abort', ended, { once: true });
    this.open.set(stop, request.caller.actor);
    const stream = new EventStream(response, stop.signal);
    const visibility = new EventVisibility(this.store, request.caller, async (caller, after) => {
      if (after !== undefined) await this.readModels.waitFor(after);
      return this.access.projectsOf(caller);
    });
    const refuse = async () => {
      const problem = await this.problemWith(request);
      if (problem && !stop.signal.aborted) {
        stream.send({ event: 'end', data: { reason: problem } });
        stop.abort();
      }
      return problem !== null;
    };
    let heartbeat: NodeJS.Timeout | undefined;
    const beat = () => {
      heartbeat = setTimeout(async () => {
        stream.comment('still here');
        await refuse();
        if (!stop.signal.aborted) beat();
      }, HEARTBEAT_MS);
    };
    try {
      stream.open();
      stream.send({ id: after, event: 'ready', data: { after } });
      beat();
      for await (const events of followLog(this.store, after, stop.signal)) {
        if (events.some((event) => ABOUT_CALLERS.has(event.type))) {
          // The members' and sessions' read models must have taken these in before they are asked.
          await this.readModels.waitFor(events[events.length - 1].position);
          if (await refuse()) break;
        }
        await this.sendVisible(stream, visibility, events, stop.signal);
        if (!(await stream.flushed())) break;
      }
    } catch (error) {
      this.logger.warn(`the live event stream of ${request.caller.actor} ended: ${(error as Error).message}`);
    } finally {
      this.stopping.signal.removeEventListener('abort', ended);
      clearTimeout(heartbeat);
      stop.abort();
      this.open.delete(stop);
      stream.end();
    }
  }

  private async sendVisible(
    stream: EventStream,
    visibility: EventVisibility,
    events: StoredEvent[],
    signal: AbortSignal,
  ) {
    for (const event of events) {
      if (signal.aborted || stream.overflowing) return;
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
