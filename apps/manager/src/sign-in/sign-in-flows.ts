import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { IdentityProvider } from '@testausdeploy/domain';
import { cookieValue, overHttps } from '../sessions/session-cookie';
import { SignInRefused } from './sign-in-refused';

/** The cookie that ties a sign-in's return to the browser that began it. */
export const FLOW_COOKIE = 'td_signin';

/** How long a sign-in may take at the provider, and how many may be under way at once (they are kept in memory). */
const FLOW_MS = 10 * 60_000;
const MAX_FLOWS = 10_000;

/** What a sign-in under way needs when the browser comes back: each value is used once. */
export interface PendingFlow {
  provider: IdentityProvider;
  state: string;
  /** PKCE: the verifier of the challenge sent, proving the code is redeemed by who asked for it. */
  verifier: string;
  /** OIDC: the ID token must carry it back. */
  nonce: string;
  redirectUri: string;
  expiresAt: number;
}

const random = () => randomBytes(32).toString('base64url');

/**
 * Sign-ins under way with GitHub or the OIDC provider, each bound to the browser that began it by a cookie and
 * to the provider's answer by `state`. Held in this Manager's memory: a sign-in spans a few seconds, and one
 * that a restart interrupts is begun again.
 */
@Injectable()
export class SignInFlows {
  private readonly flows = new Map<string, PendingFlow>();

  begin(
    provider: IdentityProvider,
    redirectUri: string,
  ): { flowId: string; flow: PendingFlow; challenge: string } {
    this.sweep();
    if (this.flows.size >= MAX_FLOWS)
      throw new SignInRefused('too many sign-ins are under way: try again in a few minutes');
    const flowId = random();
    const flow = {
      provider,
      state: random(),
      verifier: random(),
      nonce: random(),
      redirectUri,
      expiresAt: Date.now() + FLOW_MS,
    };
    this.flows.set(flowId, flow);
    const challenge = createHash('sha256').update(flow.verifier).digest('base64url');
    return { flowId, flow, challenge };
  }

  /** The flow this browser began, once, if the provider sent back its `state`; else why not. */
  finish(request: Request, provider: IdentityProvider, state: unknown): PendingFlow {
    const flowId = cookieValue(request, FLOW_COOKIE);
    const flow = flowId ? this.flows.get(flowId) : undefined;
    if (flowId) this.flows.delete(flowId);
    if (!flow || flow.provider !== provider || flow.expiresAt < Date.now()) {
      throw new SignInRefused('this sign-in was not begun in this browser, or took too long: sign in again');
    }
    if (typeof state !== 'string' || state !== flow.state) {
      throw new SignInRefused("the provider's answer does not carry this sign-in's state: sign in again");
    }
    return flow;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, flow] of this.flows) if (flow.expiresAt < now) this.flows.delete(id);
  }
}

/** `Set-Cookie` for a flow: sent back on the provider's top-level redirect (Lax), to the sign-in routes only. */
export function flowCookieHeader(request: Request, flowId: string): string {
  const attributes = [
    `${FLOW_COOKIE}=${flowId}`,
    'Path=/session',
    `Max-Age=${FLOW_MS / 1000}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (overHttps(request)) attributes.push('Secure');
  return attributes.join('; ');
}
