/** The sessions read model: one document per session still open, `_id` = its id. */
export interface SessionView {
  _id: string;
  actor: string;
  memberId: string | null;
  /** SHA-256 of the cookie's secret, hex: what a cookie is looked up by. Never sent out. */
  secretDigest: string;
  /** The named token the session was opened with; null for an account's own token or the admin's. */
  tokenId: string | null;
  startedAt: Date;
  expiresAt: Date;
  position: number;
}
