import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { CookieBrowser, Hop } from './cookie-browser';

/** A client of the provider: the Manager's. */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/**
 * A real OpenID Connect provider on 127.0.0.1: `oidc-provider` (the certified Node.js implementation) with its
 * development login and consent pages, where any login signs in as the account of that name (its
 * `preferred_username`). Its signing key is the test's, so a test can also sign tokens the provider could have.
 */
export class OidcTestProvider {
  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly signingKey: CryptoKey,
    readonly keyId: string,
  ) {}

  /** On `port`, so that the Manager can be told the issuer before the provider is told the Manager's address. */
  static async start(client: OidcClient, port: number): Promise<OidcTestProvider> {
    const issuer = `http://127.0.0.1:${port}`;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: [client.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ['oidc-test-provider-cookie-key'] },
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
      findAccount: (_context: unknown, id: string) => ({
        accountId: id,
        claims: () => ({ sub: id, preferred_username: id, email: `${id}@example.org` }),
      }),
    });
    const server = createServer(provider.callback());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new OidcTestProvider(server, issuer, privateKey, 'test-key');
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Walks a sign-in from `begin` through the provider's login (as `login`) and consent pages to where the
   * provider sends the browser back; the hops up to and including that one.
   */
  async signIn(
    browser: CookieBrowser,
    begin: string,
    login: string,
    stopAt: (hop: Hop) => boolean,
  ): Promise<Hop[]> {
    const hops = await browser.walk(begin, (hop) => stopAt(hop) || hop.status === 200);
    for (const [prompt, fields] of [
      ['login', { login, password: 'any' }],
      ['consent', {}],
    ] as const) {
      const page = hops[hops.length - 1];
      if (stopAt(page)) return hops;
      const action = /action="([^"]+)"/.exec(page.body)?.[1];
      if (!action || !page.body.includes(`value="${prompt}"`))
        throw new Error(`no ${prompt} form at ${page.url}: ${page.body.slice(0, 300)}`);
      hops.push(
        ...(await browser.walk(
          new URL(action, this.issuer).toString(),
          (hop) => stopAt(hop) || hop.status === 200,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ prompt, ...fields }).toString(),
          },
        )),
      );
    }
    return hops;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
