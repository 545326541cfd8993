import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Logger,
  NotFoundException,
  Param,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityProvider } from '@testausdeploy/domain';
import { Public } from '../auth/public.decorator';
import { ManagerConfig } from '../config/manager-config';
import { OrganisationDirectory } from '../organisations/organisation-directory';
import { overHttps, sessionCookie } from '../sessions/session-cookie';
import { ExternalSignIn, PROVIDER_NAMES } from './external-sign-in';
import { GitHubAccounts } from './github-accounts';
import { OidcAccounts } from './oidc-accounts';
import { FLOW_COOKIE, flowCookieHeader, SignInFlows } from './sign-in-flows';
import { SignInRefused } from './sign-in-refused';
import { SignInRefusals } from './sign-in-refusals';

/** What a provider sends back to the callback. */
interface Callback {
  code?: unknown;
  state?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** A Host header: a name or an address, with a port. */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

const clearedFlowCookie = `${FLOW_COOKIE}=; Path=/session; Max-Age=0; HttpOnly; SameSite=Lax`;

/**
 * Sign in with GitHub (OAuth web flow) or an OpenID Connect provider (code flow): begin redirects the browser to
 * the provider; its callback checks the sign-in's state, redeems the code with PKCE, finds the member, and opens
 * a dashboard session. A refusal sends the browser to the sign-in page with the reason.
 */
@Controller('session')
@Public()
export class SignInController {
  private readonly logger = new Logger(SignInController.name);

  constructor(
    private readonly refusals: SignInRefusals,
    private readonly flows: SignInFlows,
    private readonly github: GitHubAccounts,
    private readonly oidc: OidcAccounts,
    private readonly organisations: OrganisationDirectory,
    private readonly signIn: ExternalSignIn,
    private readonly config: ManagerConfig,
  ) {}

  /** Which ways to sign in the dashboard offers besides a token. */
  @Get('providers')
  providers() {
    return { github: this.github.offered, oidc: this.oidc.offered };
  }

  /** Why the sign-in the browser was sent back from was refused (`/ui/?signInRefusal=<id>`), for five minutes. */
  @Get('refusals/:id')
  refusal(@Param('id') id: string) {
    const reason = this.refusals.reason(id);
    if (reason === null)
      throw new NotFoundException('no such sign-in refusal, or it is older than five minutes');
    return { reason };
  }

  @Get('github')
  @HttpCode(HttpStatus.FOUND)
  beginGitHub(@Req() request: Request, @Res() response: Response) {
    return this.begin('github', request, response, async ({ flow, challenge }) =>
      this.github.authorizeUrl(flow.redirectUri, flow.state, challenge),
    );
  }

  @Get('github/callback')
  @HttpCode(HttpStatus.SEE_OTHER)
  gitHubCallback(@Query() answer: Callback, @Req() request: Request, @Res() response: Response) {
    return this.finish('github', answer, request, response, async (code, flow) => {
      const account = await this.github.account(code, flow.verifier, flow.redirectUri);
      const allowed = (await this.organisations.all()).map(({ org }) => org);
      if (!account.orgs.some((org) => allowed.includes(org))) {
        throw new SignInRefused(
          `GitHub says "${account.login}" is not a member of an allowed organisation (${allowed.join(', ') || 'none is allowed'})`,
        );
      }
      return { login: account.login, subject: account.id };
    });
  }

  @Get('oidc')
  @HttpCode(HttpStatus.FOUND)
  beginOidc(@Req() request: Request, @Res() response: Response) {
    return this.begin('oidc', request, response, ({ flow, challenge }) =>
      this.oidc.authorizeUrl(flow.redirectUri, flow.state, challenge, flow.nonce),
    );
  }

  @Get('oidc/callback')
  @HttpCode(HttpStatus.SEE_OTHER)
  oidcCallback(@Query() answer: Callback, @Req() request: Request, @Res() response: Response) {
    return this.finish('oidc', answer, request, response, (code, flow) =>
      this.oidc.account(code, flow.verifier, flow.redirectUri, flow.nonce),
    );
  }

  private async begin(
    provider: IdentityProvider,
    request: Request,
    response: Response,
    target: (begun: ReturnType<SignInFlows['begin']>) => Promise<string>,
  ): Promise<void> {
    try {
      const offered = provider === 'github' ? this.github.offered : this.oidc.offered !== null;
      if (!offered)
        throw new SignInRefused(`Sign in with ${PROVIDER_NAMES[provider]} is not set up on this Manager`);
      const begun = this.flows.begin(provider, `${this.publicUrl(request)}/session/${provider}/callback`);
      const location = await target(begun);
      response.setHeader('Set-Cookie', flowCookieHeader(request, begun.flowId));
      response.redirect(302, location);
    } catch (error) {
      this.refused(error, response, 302);
    }
  }

  private async finish(
    provider: IdentityProvider,
    answer: Callback,
    request: Request,
    response: Response,
    account: (
      code: string,
      flow: ReturnType<SignInFlows['finish']>,
    ) => Promise<{ login: string; subject: string }>,
  ): Promise<void> {
    try {
      const flow = this.flows.finish(request, provider, answer.state);
      if (answer.error !== undefined) {
        throw new SignInRefused(
          `the provider refused: ${String(answer.error_description ?? answer.error).slice(0, 200)}`,
        );
      }
      if (typeof answer.code !== 'string' || answer.code.length === 0 || answer.code.length > 2000) {
        throw new SignInRefused('the provider sent no code back');
      }
      const { login, subject } = await account(answer.code, flow);
      const { secret, expiresAt } = await this.signIn.session(provider, login, subject);
      response.setHeader('Set-Cookie', [sessionCookie(request, secret, expiresAt), clearedFlowCookie]);
      response.redirect(303, '/ui/');
    } catch (error) {
      response.setHeader('Set-Cookie', clearedFlowCookie);
      this.refused(error, response, 303);
    }
  }

  /** Back to the dashboard's sign-in page, which asks why. */
  private refused(error: unknown, response: Response, status: 302 | 303): void {
    let reason = (error as Error).message;
    if (!(error instanceof SignInRefused)) {
      this.logger.error(`a sign-in failed: ${reason}`);
      reason = "the sign-in failed on the Manager's side: try again";
    }
    response.redirect(status, `/ui/?signInRefusal=${this.refusals.keep(reason)}`);
  }

  private publicUrl(request: Request): string {
    if (this.config.PUBLIC_URL) return this.config.PUBLIC_URL.replace(/\/$/, '');
    const host = request.headers.host ?? '';
    if (!HOST.test(host)) {
      throw new SignInRefused('the request names no host this Manager can be reached at: set PUBLIC_URL');
    }
    return `${overHttps(request) ? 'https' : 'http'}://${host}`;
  }
}
