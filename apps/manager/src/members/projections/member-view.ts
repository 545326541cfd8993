import { IdentityProvider, MemberRole, TokenScope } from '@testausdeploy/domain';

/** An account of a provider the member signs in with; `subject` once it has signed in. */
export interface MemberIdentityView {
  provider: IdentityProvider;
  login: string;
  /** The login in lower case: what a sign-in is matched by until the subject is known. */
  loginKey: string;
  subject: string | null;
}

/** A named token of the member; its digest is what the guard looks it up by, never sent out. */
export interface MemberTokenView {
  tokenId: string;
  label: string;
  tokenDigest: string;
  scope: TokenScope;
  expiresAt: Date;
  issuedAt: Date;
}

/** The members read model: one document per member, `_id` = the name. */
export interface MemberView {
  _id: string;
  name: string;
  /** Who this member is: a new id each time the name is added. */
  memberId: string;
  role: MemberRole;
  /** SHA-256 of the member's API token, hex: what the guard looks tokens up by. Never sent out. */
  tokenDigest: string;
  addedBy: string;
  addedAt: Date;
  tokenReplacedAt: Date | null;
  /** The member's named tokens, besides the account's own. */
  tokens: MemberTokenView[];
  /** At most one per provider. */
  identities: MemberIdentityView[];
  position: number;
}

/** A member as the API shows it: without the token's digest. */
export function publicMember({ name, role, addedBy, addedAt, tokenReplacedAt, identities }: MemberView) {
  const linked = identities.map(({ provider, login, subject }) => ({
    provider,
    login,
    signedIn: subject !== null,
  }));
  return { name, role, addedBy, addedAt, tokenReplacedAt, identities: linked };
}
