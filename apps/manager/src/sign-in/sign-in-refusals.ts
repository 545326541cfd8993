import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/** How long the sign-in page can ask why a sign-in was refused, and how many reasons are kept at once. */
const KEPT_MS = 5 * 60_000;
const MAX_KEPT = 1000;

/**
 * Why sign-ins were refused, each under a random id the browser is sent back with: the sign-in page shows the
 * Manager's own words, never text a link could put there.
 */
@Injectable()
export class SignInRefusals {
  private readonly reasons = new Map<string, { reason: string; until: number }>();

  keep(reason: string): string {
    const now = Date.now();
    for (const [id, kept] of this.reasons)
      if (kept.until < now || this.reasons.size >= MAX_KEPT) this.reasons.delete(id);
    const id = randomBytes(16).toString('base64url');
    this.reasons.set(id, { reason, until: now + KEPT_MS });
    return id;
  }

  reason(id: string): string | null {
    const kept = this.reasons.get(id);
    return kept && kept.until >= Date.now() ? kept.reason : null;
  }
}
