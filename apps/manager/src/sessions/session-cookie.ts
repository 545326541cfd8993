import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';

/** The dashboard's session cookie. Not `__Host-`: that prefix needs `Secure`, and the quick start is plain HTTP. */
export const SESSION_COOKIE = 'td_session';

/** A new session's secret (the cookie's value, never recorded) and the digest it is looked up by. */
export function newSessionSecret(): { secret: string; secretDigest: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, secretDigest: secretDigest(secret) };
}

export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The session secret a request carries in its `Cookie` header, if any. */
export function sessionSecret(request: Request): string | null {
  return cookieValue(request, SESSION_COOKIE);
}

/** The value of the cookie `name` a request carries, if any. */
export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}

/** Whether the request reached the Manager over HTTPS, directly or through a proxy that says so. */
export function overHttps(request: Request): boolean {
  return request.secure || request.headers['x-forwarded-proto'] === 'https';
}

/** `Set-Cookie` for a new session: script cannot read it, other sites never send it, it ends at `expiresAt`. */
export function sessionCookie(request: Request, secret: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return cookie(request, `${SESSION_COOKIE}=${secret}`, `Max-Age=${maxAge}`);
}

/** `Set-Cookie` that removes the session cookie from the browser. */
export function clearedSessionCookie(request: Request): string {
  return cookie(request, `${SESSION_COOKIE}=`, 'Max-Age=0');
}

function cookie(request: Request, value: string, age: string): string {
  const attributes = [value, 'Path=/', age, 'HttpOnly', 'SameSite=Strict'];
  if (overHttps(request)) attributes.push('Secure');
  return attributes.join('; ');
}

/**
 * Whether a request comes from a page of this Manager's own origin, by its `Origin` header: browsers send it
 * with every request that can change state, and a cross-site page cannot forge it. A request without one is
 * not from a browser page, so it is not a cross-site forgery of one: the caller decides whether that is enough.
 */
export function originProblem(request: Request, required: boolean): string | null {
  const origin = request.headers.origin;
  if (origin === undefined) return required ? 'it carries no Origin header' : null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `its Origin "${origin.slice(0, 100)}" is not an address`;
  }
  return host === request.headers.host ? null : `it comes from ${origin.slice(0, 100)}, another site`;
}
