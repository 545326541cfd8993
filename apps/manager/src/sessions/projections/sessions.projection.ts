import { IndexDescription } from 'mongodb';
import { Injectable } from '@nestjs/common';
import { isSessionEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { SessionView } from './session-view';

export const SESSIONS = 'sessions';

/** Open sessions: added when one starts, gone when it is signed out or expires. */
@Injectable()
export class SessionsProjection extends RegisteredProjection<SessionView> {
  readonly name = SESSIONS;
  readonly version = 1;
  readonly indexes: IndexDescription[] = [{ key: { secretDigest: 1 } }, { key: { expiresAt: 1 } }];

  async apply(event: StoredEvent, views: Views<SessionView>): Promise<void> {
    if (!isSessionEvent(event)) return;
    if (event.type !== 'SignedIn') return views.delete(event.data.sessionId);
    const { sessionId, actor, memberId, secretDigest, expiresAt, tokenId } = event.data;
    const view = await views.get(sessionId);
    if (view && view.position >= event.position) return;
    views.put({
      _id: sessionId,
      actor,
      memberId,
      secretDigest,
      tokenId: tokenId ?? null,
      startedAt: event.metadata.time,
      expiresAt: new Date(expiresAt),
      position: event.position,
    });
  }
}
