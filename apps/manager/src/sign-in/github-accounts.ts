import { Injectable } from '@nestjs/common';
import { ManagerConfig } from '../config/manager-config';
import { ClientSecrets } from './client-secrets';
import { SignInRefused } from './sign-in-refused';

/** A GitHub account as its API describes it. */
export interface GitHubAccount {
  id: string;
  login: string;
  /** The organisations it is a member of, in lower case. */
  orgs: string[];
}

/** How long one call to GitHub may take. */
const CALL_MS = 10_000;

/**
 * GitHub's OAuth web flow and the two REST calls a sign-in needs (`GET /user`, `GET /user/orgs`), as GitHub
 * documents them. The flow asks for `read:org` only: enough to see the user's organisations, private
 * memberships included, and nothing else of theirs.
 */
@Injectable()
export class GitHubAccounts {
  constructor(
    private readonly config: ManagerConfig,
    private readonly secrets: ClientSecrets,
  ) {}

  get offered(): boolean {
    return this.secrets.github !== null;
  }

  authorizeUrl(redirectUri: string, state: string, challenge: string): string {
    const url = new URL('/login/oauth/authorize', this.config.GITHUB_URL);
    url.search = new URLSearchParams({
      client_id: this.clientId(),
      redirect_uri: redirectUri,
      scope: 'read:org',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      allow_signup: 'false',
    }).toString();
    return url.toString();
  }

  /** Redeems the code for an access token, and reads who it is for; the token is used for this and dropped. */
  async account(code: string, verifier: string, redirectUri: string): Promise<GitHubAccount> {
    const exchanged = await this.call<{ access_token?: string; error?: string; error_description?: string }>(
      new URL('/login/oauth/access_token', this.config.GITHUB_URL),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_id: this.clientId(),
          client_secret: this.secrets.github,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      },
    );
    if (!exchanged.access_token) {
      throw new SignInRefused(
        `GitHub did not accept the sign-in: ${exchanged.error_description ?? exchanged.error ?? 'no access token'}`,
      );
    }
    const auth = { headers: { Authorization: `Bearer ${exchanged.access_token}` } };
    const api = (path: string) => new URL(path, this.config.GITHUB_API_URL);
    const user = await this.call<{ id: number; login: string }>(api('/user'), auth);
    const orgs = await this.call<{ login: string }[]>(api('/user/orgs?per_page=100'), auth);
    return { id: String(user.id), login: user.login, orgs: orgs.map(({ login }) => login.toLowerCase()) };
  }

  private clientId(): string {
    if (!this.config.GITHUB_CLIENT_ID)
      throw new SignInRefused('Sign in with GitHub is not set up on this Manager');
    return this.config.GITHUB_CLIENT_ID;
  }

  private async call<T>(url: URL, init: RequestInit): Promise<T> {
    const response = await fetch(url, {
      ...init,
      headers: { Accept: 'application/json', 'User-Agent': 'testausdeploy', ...init.headers },
      signal: AbortSignal.timeout(CALL_MS),
    }).catch((error: Error) => {
      throw new SignInRefused(`GitHub could not be reached: ${error.message}`);
    });
    if (!response.ok) throw new SignInRefused(`GitHub answered ${response.status} to ${url.pathname}`);
    return (await response.json()) as T;
  }
}
