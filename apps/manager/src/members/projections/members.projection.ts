import { IndexDescription } from 'mongodb';
import { Injectable } from '@nestjs/common';
import { isMemberEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { MemberView } from './member-view';

export const MEMBERS = 'members';

@Injectable()
export class MembersProjection extends RegisteredProjection<MemberView> {
  readonly name = MEMBERS;
  readonly version = 5;
  readonly indexes: IndexDescription[] = [
    { key: { tokenDigest: 1 } },
    { key: { 'tokens.tokenDigest': 1 } },
    { key: { memberId: 1 } },
    { key: { 'identities.subject': 1 } },
    { key: { 'identities.loginKey': 1 } },
  ];

  async apply(event: StoredEvent, views: Views<MemberView>): Promise<void> {
    if (!isMemberEvent(event)) return;
    const { position } = event;
    const at = event.metadata.time;
    const view = await views.get(event.data.name);
    // An event seen again after a crash is not newer than what the view already shows.
    if (view && view.position >= position) return;
    switch (event.type) {
      case 'MemberAdded': {
        const { name, memberId, role, tokenDigest } = event.data;
        views.put({
          _id: name,
          name,
          memberId,
          role,
          tokenDigest,
          addedBy: event.metadata.actor,
          addedAt: at,
          tokenReplacedAt: null,
          tokens: [],
          identities: [],
          position,
        });
        return;
      }
      case 'MemberTokenReplaced':
        if (view) views.put({ ...view, tokenDigest: event.data.tokenDigest, tokenReplacedAt: at, position });
        return;
      case 'MemberRoleChanged':
        if (view) views.put({ ...view, role: event.data.role, position });
        return;
      case 'MemberRemoved':
        views.delete(event.data.name);
        return;
      case 'MemberTokenIssued': {
        if (!view) return;
        const { tokenId, label, tokenDigest, scope, expiresAt } = event.data;
        const token = { tokenId, label, tokenDigest, scope, expiresAt: new Date(expiresAt), issuedAt: at };
        views.put({ ...view, tokens: [...view.tokens, token], position });
        return;
      }
      case 'MemberIdentityLinked': {
        if (!view) return;
        const { provider, login, subject } = event.data;
        const others = view.identities.filter((one) => one.provider !== provider);
        const linked = { provider, login, loginKey: login.toLowerCase(), subject: subject ?? null };
        views.put({ ...view, identities: [...others, linked], position });
        return;
      }
      case 'MemberTokenRevoked':
        if (view) {
          const tokens = view.tokens.filter(({ tokenId }) => tokenId !== event.data.tokenId);
          views.put({ ...view, tokens, position });
        }
        return;
    }
  }
}
