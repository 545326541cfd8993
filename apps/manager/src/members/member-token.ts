import { createHash, randomBytes } from 'node:crypto';

/** A new API token (shown once) and the digest that is recorded and looked up instead of it. */
export function newMemberToken(): { token: string; tokenDigest: string } {
  const token = `tdm_${randomBytes(32).toString('base64url')}`;
  return { token, tokenDigest: tokenDigest(token) };
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
