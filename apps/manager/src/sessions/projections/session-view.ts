/** The sessions read model: one document per session still open, `_id` = its id. */
export interface SessionView {
  _id: string;
  actor: string;
  memberId: string | null;
  /** SHA-256 of the cookie's secret, hex: what a cookie is looked up by. Never sent out. */
  secretDigest: string;
  startedAt: Date;
  expiresAt: Date;
  position: number;
}
