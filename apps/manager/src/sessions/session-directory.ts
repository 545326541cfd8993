import { Injectable } from '@nestjs/common';
import { ReadModels } from '../events/read-models';
import { SessionView } from './projections/session-view';
import { SESSIONS } from './projections/sessions.projection';

/** Reads the open sessions: for the guard, which finds a cookie's session by its secret's digest. */
@Injectable()
export class SessionDirectory {
  constructor(private readonly readModels: ReadModels) {}

  async bySecretDigest(secretDigest: string): Promise<SessionView | null> {
    return (await this.views()).findOne({ secretDigest });
  }

  /** Sessions whose expiry has passed but which are still open. */
  async expired(now: Date): Promise<SessionView[]> {
    return (await this.views()).find({ expiresAt: { $lte: now } }).toArray();
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<SessionView>(SESSIONS);
  }
}
