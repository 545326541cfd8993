import { AggregateRoot } from '../aggregate-root';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { IdentityProvider, MemberEvent, MemberRole, TokenScope } from './member.events';

/** How many named tokens one member may hold at once. */
export const MAX_MEMBER_TOKENS = 20;

/** A named token's label: 1-64 letters, digits, spaces, dots, underscores and hyphens, starting with one of the first two. */
export const TOKEN_LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** A named token as it is made: its id, label, digest, scope and expiry. */
export interface NewToken {
  tokenId: string;
  label: string;
  tokenDigest: string;
  scope: TokenScope;
  expiresAt: Date;
}

/** A member's name: 2-32 of a-z, 0-9 and single hyphens, starting with a letter (also their unix user). */
export const MEMBER_NAME = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** Why `name` cannot be a member's name, or null if it can. */
export function memberNameProblem(name: string): string | null {
  return MEMBER_NAME.test(name)
    ? null
    : `member name "${name}" must be 2-32 characters of a-z, 0-9 and single hyphens, starting with a letter`;
}

/**
 * A member's account, one stream per name. A removed name can be added again, as a new member (a new id); its
 * history stays in one stream.
 */
export class Member extends AggregateRoot<MemberEvent> {
  private role: MemberRole | null = null;
  /** The named tokens held now: label by id. */
  private readonly tokens = new Map<string, string>();
  /** The subject of each provider's account bound to the member. */
  private readonly subjects = new Map<IdentityProvider, string>();
  /** The login linked for each provider, in lower case. */
  private readonly logins = new Map<IdentityProvider, string>();

  constructor(readonly name: string) {
    super();
  }

  static streamId(name: string): string {
    return `member-${name}`;
  }

  add(role: MemberRole, tokenDigest: string, memberId: string): void {
    const problem = memberNameProblem(this.name);
    if (problem) throw new InvalidInput(problem);
    if (this.role) throw new Conflict(`member "${this.name}" already exists`);
    this.record({ type: 'MemberAdded', data: { name: this.name, memberId, role, tokenDigest } });
  }

  replaceToken(tokenDigest: string): void {
    this.current();
    this.record({ type: 'MemberTokenReplaced', data: { name: this.name, tokenDigest } });
  }

  changeRole(role: MemberRole): void {
    if (this.current() === role) throw new Conflict(`member "${this.name}" is already ${role}`);
    this.record({ type: 'MemberRoleChanged', data: { name: this.name, role } });
  }

  issueToken({ tokenId, label, tokenDigest, scope, expiresAt }: NewToken): void {
    this.current();
    if (!TOKEN_LABEL.test(label)) {
      throw new InvalidInput(
        `token name "${label}" must be 1-64 letters, digits, spaces, dots, underscores or hyphens`,
      );
    }
    if ([...this.tokens.values()].includes(label))
      throw new Conflict(`you already have a token named "${label}"`);
    if (this.tokens.size >= MAX_MEMBER_TOKENS) {
      throw new Conflict(`a member holds at most ${MAX_MEMBER_TOKENS} tokens: revoke one first`);
    }
    this.record({
      type: 'MemberTokenIssued',
      data: { name: this.name, tokenId, label, tokenDigest, scope, expiresAt: expiresAt.toISOString() },
    });
  }

  revokeToken(tokenId: string): void {
    this.current();
    if (!this.tokens.has(tokenId)) throw new NotFound(`token ${tokenId} does not exist`);
    this.record({ type: 'MemberTokenRevoked', data: { name: this.name, tokenId } });
  }

  /** Links an account of `provider` by its login (case as the provider keeps it; compared in lower case). */
  linkIdentity(provider: IdentityProvider, login: string): void {
    this.current();
    // Linking the same login again would unbind the account that signed in with it, for whoever holds it next.
    if (this.logins.get(provider) === login.toLowerCase()) {
      throw new Conflict(`member "${this.name}" is already linked to the ${provider} login "${login}"`);
    }
    this.record({ type: 'MemberIdentityLinked', data: { name: this.name, provider, login } });
  }

  /** Records the account's subject at its first sign-in, or refuses one that is not the account bound before. */
  bindIdentity(provider: IdentityProvider, login: string, subject: string): void {
    this.current();
    const bound = this.subjects.get(provider);
    if (bound === subject) return;
    if (bound)
      throw new Forbidden(`the ${provider} login "${login}" is linked to another account of ${provider}`);
    this.record({ type: 'MemberIdentityLinked', data: { name: this.name, provider, login, subject } });
  }

  remove(): void {
    this.current();
    this.record({ type: 'MemberRemoved', data: { name: this.name } });
  }

  protected apply(event: MemberEvent): void {
    switch (event.type) {
      case 'MemberAdded':
        this.tokens.clear();
        this.subjects.clear();
        this.logins.clear();
        this.role = event.data.role;
        return;
      case 'MemberRoleChanged':
        this.role = event.data.role;
        return;
      case 'MemberRemoved':
        this.role = null;
        return;
      case 'MemberTokenIssued':
        this.tokens.set(event.data.tokenId, event.data.label);
        return;
      case 'MemberTokenRevoked':
        this.tokens.delete(event.data.tokenId);
        return;
      case 'MemberIdentityLinked':
        this.logins.set(event.data.provider, event.data.login.toLowerCase());
        if (event.data.subject) this.subjects.set(event.data.provider, event.data.subject);
        else this.subjects.delete(event.data.provider);
    }
  }

  private current(): MemberRole {
    if (!this.role) throw new NotFound(`member "${this.name}" does not exist`);
    return this.role;
  }
}
