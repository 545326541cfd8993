import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { MAX_MEMBER_TOKENS, Member } from './member.aggregate';

const token = (n: number, label = `token ${n}`) => ({
  tokenId: `id-${n}`,
  label,
  tokenDigest: `digest-${n}`,
  scope: 'read' as const,
  expiresAt: new Date('2027-01-01T00:00:00Z'),
});

describe('Member tokens', () => {
  it('issues named tokens with unique names, at most a bounded number, and revokes them', () => {
    const member = new Member('ada');
    assert.throws(() => member.issueToken(token(0)), NotFound);
    member.add('member', 'digest', 'id-ada');
    for (let n = 0; n < MAX_MEMBER_TOKENS; n++) member.issueToken(token(n));
    assert.throws(() => member.issueToken(token(99)), /at most 20 tokens/);
    member.revokeToken('id-3');
    assert.throws(() => member.revokeToken('id-3'), NotFound);
    assert.throws(() => member.issueToken(token(100, 'token 4')), Conflict);
    member.issueToken(token(100, 'token 3'));
    for (const bad of ['', ' lead', 'x'.repeat(65), 'semi;colon', 'new\nline']) {
      assert.throws(() => member.issueToken(token(200, bad)), InvalidInput, JSON.stringify(bad));
    }
    const issued = member.commit().filter(({ type }) => type === 'MemberTokenIssued');
    assert.deepEqual(issued.at(-1)?.data, {
      name: 'ada',
      tokenId: 'id-100',
      label: 'token 3',
      tokenDigest: 'digest-100',
      scope: 'read',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('forgets the tokens of a removed member: the name added again starts with none', () => {
    const member = new Member('ada');
    member.add('member', 'digest', 'id-ada');
    member.issueToken(token(1));
    member.remove();
    member.add('member', 'digest-2', 'id-ada-2');
    assert.throws(() => member.revokeToken('id-1'), NotFound);
    member.issueToken(token(2, 'token 1'));
  });
});

describe('Member identities', () => {
  it('binds a linked login to the first account that signs in with it, and refuses another', () => {
    const member = new Member('ada');
    member.add('member', 'digest', 'id-ada');
    member.linkIdentity('github', 'Ada-L');
    member.bindIdentity('github', 'Ada-L', '1001');
    member.bindIdentity('github', 'Ada-L', '1001');
    assert.throws(
      () => member.bindIdentity('github', 'Ada-L', '2002'),
      /linked to another account of github/,
    );
    member.linkIdentity('github', 'ada-new');
    member.bindIdentity('github', 'ada-new', '2002');
    assert.deepEqual(
      member.commit().map(({ type, data }) => [type, 'subject' in data ? data.subject : null]),
      [
        ['MemberAdded', null],
        ['MemberIdentityLinked', null],
        ['MemberIdentityLinked', '1001'],
        ['MemberIdentityLinked', null],
        ['MemberIdentityLinked', '2002'],
      ],
    );
  });
});
