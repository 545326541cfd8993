import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Unavailable } from '@testausdeploy/domain';

/**
 * The Manager's stop, for the answers that last (live events, followed container output): each ends when `signal`
 * aborts, which is before the HTTP server waits for its connections to close. An answer like that asked for
 * once the stop has begun (a reconnect on a kept-alive connection still reaches a stopping server) is refused and
 * its connection closed, so that nothing new holds the stop open.
 */
@Injectable()
export class Stopping implements BeforeApplicationShutdown {
  private readonly stop = new AbortController();
  readonly signal = this.stop.signal;

  beforeApplicationShutdown(): void {
    this.stop.abort();
  }

  /** Throws the 503 for a lasting answer asked for during the stop (before its headers are sent). */
  refuseLastingAnswer(response: Response): void {
    if (!this.signal.aborted) return;
    response.setHeader('Connection', 'close');
    throw new Unavailable('the Manager is stopping: ask again in a moment');
  }
}
