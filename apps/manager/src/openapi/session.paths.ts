import { signInBody } from '../sessions/dto/sign-in.dto';
import { whoAmI } from './responses/system.responses';
import { json, jsonBody as body, problem } from './openapi-helpers';

const setCookie = {
  'Set-Cookie': {
    description: '`td_session=…; Path=/; Max-Age=…; HttpOnly; SameSite=Strict` (and `Secure` over HTTPS)',
    schema: { type: 'string' },
  },
};

/** The dashboard's sign-in and sign-out: an API token traded for a session cookie. */
export function sessionPaths() {
  return {
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
