import { Injectable } from '@nestjs/common';
import { Session } from '@testausdeploy/domain';
import { EventRecorder } from '../events/event-recorder';

/** Loads a Session from its stream and saves what it decided, as `actor`. */
@Injectable()
export class SessionRepository {
  constructor(private readonly recorder: EventRecorder) {}

  load(sessionId: string): Promise<Session> {
    return this.recorder.load(new Session(sessionId), Session.streamId(sessionId));
  }

  async save(session: Session, actor: string): Promise<void> {
    await this.recorder.saveAs(Session.streamId(session.sessionId), session, actor);
  }
}
