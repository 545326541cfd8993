import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ManagerConfig } from '../config/manager-config';
import { ClientSecrets } from './client-secrets';
import { SignInRefused } from './sign-in-refused';

/** What discovery says of the provider, as far as the code flow needs it. */
interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

/** The claims a login is read from, in the ID token or from the userinfo endpoint. */
type Claims = Record<string, unknown>;

/** An account of the OIDC provider, from a checked ID token. */
export interface OidcAccount {
  subject: string;
  /** `preferred_username`, else the email if the provider verified it: what an admin links a member by. */
  login: string;
}

const CALL_MS = 10_000;
/** An ID token issued longer ago than this is not taken, whatever its expiry says. */
const MAX_TOKEN_AGE = '10m';

/**
 * An OpenID Connect provider (Authentik, Keycloak, GitLab, …) by discovery: the authorization code flow with
 * PKCE, and an ID token checked for its signature (the provider's published keys), issuer, audience, expiry,
 * age and nonce before anyone is signed in by it.
 */
@Injectable()
export class OidcAccounts {
  private discovery: Promise<Discovery> | null = null;
  private keys: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(
    private readonly config: ManagerConfig,
    private readonly secrets: ClientSecrets,
  ) {}

  get offered(): { name: string } | null {
    return this.secrets.oidc === null ? null : { name: this.config.OIDC_NAME };
  }

  async authorizeUrl(redirectUri: string, state: string, challenge: string, nonce: string): Promise<string> {
    const url = new URL((await this.discover()).authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.clientId(),
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  async account(code: string, verifier: string, redirectUri: string, nonce: string): Promise<OidcAccount> {
    const { token_endpoint } = await this.discover();
    const secret = `${encodeURIComponent(this.clientId())}:${encodeURIComponent(this.secrets.oidc ?? '')}`;
    const answer = await call<{
      id_token?: string;
      access_token?: string;
      error?: string;
      error_description?: string;
    }>(
      token_endpoint,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(secret).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      },
      true,
    );
    if (!answer.id_token) {
      throw new SignInRefused(
        `the provider did not accept the sign-in: ${answer.error_description ?? answer.error ?? 'no ID token'}`,
      );
    }
    const claims = await this.checkedClaims(answer.id_token, nonce);
    // Providers that keep the profile out of the ID token give it at the userinfo endpoint.
    const profile =
      loginOf(claims) === undefined && answer.access_token
        ? await this.userinfo(answer.access_token, claims.sub as string)
        : claims;
    return accountOf(claims.sub as string, profile);
  }

  /** The ID token's account, if the token is the provider's, for this client, current, and for this sign-in. */
  async checked(idToken: string, nonce: string): Promise<OidcAccount> {
    const claims = await this.checkedClaims(idToken, nonce);
    return accountOf(claims.sub as string, claims);
  }

  /** The userinfo of the access token's user, who must be the ID token's. */
  private async userinfo(accessToken: string, subject: string): Promise<Claims> {
    const { userinfo_endpoint } = await this.discover();
    if (!userinfo_endpoint) return {};
    const info = await call<Claims>(userinfo_endpoint, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (info.sub !== subject)
      throw new SignInRefused("the provider's userinfo is not of the ID token's user");
    return info;
  }

  private async checkedClaims(idToken: string, nonce: string): Promise<Claims> {
    const { issuer } = await this.discover();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(idToken, this.keySet(await this.discover()), {
        issuer,
        audience: this.clientId(),
        maxTokenAge: MAX_TOKEN_AGE,
        requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      }));
    } catch (error) {
      throw new SignInRefused(`the provider's ID token is not valid: ${(error as Error).message}`);
    }
    if (claims.nonce !== nonce)
      throw new SignInRefused("the provider's ID token is not for this sign-in (nonce)");
    return claims;
  }

  private keySet(discovery: Discovery) {
    this.keys ??= createRemoteJWKSet(new URL(discovery.jwks_uri), { timeoutDuration: CALL_MS });
    return this.keys;
  }

  private discover(): Promise<Discovery> {
    const issuer = this.config.OIDC_ISSUER;
    if (!issuer) return Promise.reject(new SignInRefused('OpenID Connect is not set up on this Manager'));
    this.discovery ??= call<Discovery>(
      `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      {},
    ).then((found) => {
      // The issuer discovery names must be the one configured: a document claiming another is not taken.
      if (found.issuer !== issuer)
        throw new SignInRefused(`the provider says its issuer is ${found.issuer}, not ${issuer}`);
      return found;
    });
    // A failed discovery is tried again at the next sign-in.
    this.discovery.catch(() => (this.discovery = null));
    return this.discovery;
  }

  private clientId(): string {
    return this.config.OIDC_CLIENT_ID as string;
  }
}

/** A JSON call to the provider; with `refusals`, an error answer's body is read too (the token endpoint's). */
async function call<T>(url: string, init: RequestInit, refusals = false): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { Accept: 'application/json', ...init.headers },
    signal: AbortSignal.timeout(CALL_MS),
  }).catch((error: Error) => {
    throw new SignInRefused(`the OpenID Connect provider could not be reached: ${error.message}`);
  });
  if (!response.ok && !(refusals && response.status < 500)) {
    throw new SignInRefused(
      `the OpenID Connect provider answered ${response.status} to ${new URL(url).pathname}`,
    );
  }
  return (await response.json().catch(() => ({}))) as T;
}

/** What an admin links by: the provider's user name, else an address the provider says it verified. */
function loginOf(claims: Claims): string | undefined {
  if (typeof claims.preferred_username === 'string') return claims.preferred_username;
  if (claims.email_verified === true && typeof claims.email === 'string') return claims.email;
  return undefined;
}

function accountOf(subject: string, profile: Claims): OidcAccount {
  const login = loginOf(profile);
  if (!login) throw new SignInRefused('the provider sent neither a preferred_username nor a verified email');
  return { subject, login };
}
