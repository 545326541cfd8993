import { signInBody } from '../sessions/dto/sign-in.dto';
import { signInProviders, signInRefusal, whoAmI } from './responses/system.responses';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';

const setCookie = {
  'Set-Cookie': {
    description: '`td_session=…; Path=/; Max-Age=…; HttpOnly; SameSite=Strict` (and `Secure` over HTTPS)',
    schema: { type: 'string' },
  },
};

const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: { type: 'string' } }, 'Set-Cookie': { schema: { type: 'string' } } },
});

/** Beginning a sign-in through a provider, and its callback. */
function providerPaths(provider: 'github' | 'oidc', name: string) {
  return {
    [`/session/${provider}`]: {
      get: {
        summary: `Sign in with ${name}: redirects to it (with state and a PKCE challenge), or to the sign-in page with the reason`,
        security: [],
        responses: { 302: redirect(`to ${name}, or to \`/ui/?signInRefusal=<id>\``) },
      },
    },
    [`/session/${provider}/callback`]: {
      get: {
        summary: `Where ${name} sends the browser back: opens a dashboard session, or says why not on the sign-in page`,
        security: [],
        parameters: ['code', 'state', 'error', 'error_description'].map((name) => ({
          name,
          in: 'query',
          required: false,
          schema: { type: 'string' },
        })),
        responses: { 303: redirect('to `/ui/` signed in, or to `/ui/?signInRefusal=<id>`') },
      },
    },
  };
}

/** The dashboard's sign-in and sign-out: an API token (or GitHub, or OIDC) traded for a session cookie. */
export function sessionPaths() {
  return {
    '/session/providers': {
      get: {
        summary: 'The ways to sign in the dashboard offers besides a token',
        security: [],
        responses: { 200: json('`{ github, oidc: { name } | null }`', signInProviders) },
      },
    },
    '/session/refusals/{id}': {
      get: {
        summary: 'Why the sign-in the browser was sent back from was refused (for five minutes)',
        security: [],
        parameters: [pathParameter('id')],
        responses: { 200: json('`{ reason }`', signInRefusal), 404: problem },
      },
    },
    ...providerPaths('github', 'GitHub'),
    ...providerPaths('oidc', 'OpenID Connect'),
    '/session': {
      post: {
        summary: 'Trade an API token for a dashboard session: an HttpOnly, SameSite=Strict cookie',
        security: [],
        requestBody: body(signInBody),
        responses: {
          201: { ...json('who signed in, and when the session ends', whoAmI), headers: setCookie },
          400: problem,
          401: problem,
          403: problem,
        },
      },
      get: {
        summary: 'Who the caller is, and whether they came with a token or a session',
        responses: { 200: json('the caller', whoAmI) },
      },
      delete: {
        summary: 'Sign out: ends the session of the cookie on the server, and clears the cookie',
        responses: { 204: { description: 'signed out', headers: setCookie }, 409: problem },
      },
    },
  };
}
