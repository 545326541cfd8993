import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The GitHub user the stand-in says has approved the app, as its API describes them. */
export interface StandInUser {
  id: number;
  login: string;
  orgs: string[];
}

interface Grant {
  user: StandInUser;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

/**
 * A stand-in for GitHub on 127.0.0.1, because GitHub cannot be reached from these machines. It speaks the
 * parts of GitHub's documented OAuth web flow and REST API a sign-in uses: `GET /login/oauth/authorize` (the user
 * in `user` approves at once and is sent back with a code and the state), `POST /login/oauth/access_token`
 * (client secret, redirect URI, PKCE S256 verifier and one use of the code checked; a refusal is a 200 with
 * `error`, as GitHub answers), `GET /user` and `GET /user/orgs` with the access token.
 */
export class GitHubStandIn {
  /** Who is signed in at the stand-in and approves; null: nobody (the page would ask to log in). */
  user: StandInUser | null = null;
  /** The OAuth app's registered callback; an authorize request naming another is refused, as GitHub does. */
  redirectUri = '';
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, StandInUser>();

  private constructor(
    private readonly server: Server,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(clientId: string, clientSecret: string): Promise<GitHubStandIn> {
    const server = createServer();
    const standIn = new GitHubStandIn(server, clientId, clientSecret);
    server.on('request', (request, response) => void standIn.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const query = url.searchParams;
      if (query.get('client_id') !== this.clientId || query.get('redirect_uri') !== this.redirectUri) {
        return void response.writeHead(400).end('The redirect_uri is not associated with this application.');
      }
      if (query.get('code_challenge_method') !== 'S256' || !this.user)
        return void response.writeHead(400).end();
      const code = randomBytes(10).toString('hex');
      this.grants.set(code, {
        user: this.user,
        redirectUri: this.redirectUri,
        challenge: query.get('code_challenge') ?? '',
        used: false,
      });
      const back = new URL(this.redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      return void response.writeHead(302, { Location: back.toString() }).end();
    }
    if (request.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const body = JSON.parse(await read(request)) as Record<string, string>;
      const grant = this.grants.get(body.code);
      const verified =
        grant &&
        createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url') === grant.challenge;
      if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret) {
        return json(200, {
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        });
      }
      if (!grant || grant.used || grant.redirectUri !== body.redirect_uri || !verified) {
        return json(200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      grant.used = true;
      const token = `gho_${randomBytes(16).toString('hex')}`;
      this.tokens.set(token, grant.user);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:org' });
    }
    const user = this.tokens.get((request.headers.authorization ?? '').replace(/^(Bearer|token) /, ''));
    if (request.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/orgs')) {
      if (!user) return json(401, { message: 'Bad credentials' });
      if (url.pathname === '/user') return json(200, { id: user.id, login: user.login, type: 'User' });
      return json(
        200,
        user.orgs.map((login) => ({ login })),
      );
    }
    json(404, { message: 'Not Found' });
  }
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
