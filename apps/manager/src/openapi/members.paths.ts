import {
  addMemberBody,
  changeMemberRoleBody,
  identityProvider,
  issueTokenBody,
  linkIdentityBody,
} from '../members/dto/member.dto';
import { z } from 'zod';
import {
  issuedToken,
  linkedIdentity,
  listedToken,
  member,
  memberRole,
  memberToken,
  memberWithToken,
} from './responses/system.responses';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';

const tokenId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** Members and their tokens: admins only, but for each caller's own named tokens under `/tokens`. */
export function memberPaths() {
  return {
    '/members': {
      post: {
        summary: 'Add a member; the answer carries their API token, shown this once',
        requestBody: body(addMemberBody),
        responses: { 201: json('`{ name, role, token }`', memberWithToken), 400: problem, 409: problem },
      },
      get: { summary: 'The members (without tokens)', responses: { 200: json('members', z.array(member)) } },
    },
    '/members/{name}/token': {
      post: {
        summary: "Replace a member's token; the old one stops working",
        parameters: [pathParameter('name')],
        responses: { 200: json('`{ name, token }`', memberToken), 404: problem },
      },
    },
    '/members/{name}/role': {
      put: {
        summary: 'Make a member an admin, or back',
        parameters: [pathParameter('name')],
        requestBody: body(changeMemberRoleBody),
        responses: { 200: json('`{ name, role }`', memberRole), 400: problem, 404: problem, 409: problem },
      },
    },
    '/members/{name}/identities/{provider}': {
      put: {
        summary:
          "Link a member to a GitHub or OIDC account by its login; the account's id is bound at its first sign-in (admins)",
        parameters: [pathParameter('name'), pathParameter('provider', identityProvider)],
        requestBody: body(linkIdentityBody),
        responses: { 200: json('`{ name, provider, login }`', linkedIdentity), 404: problem, 409: problem },
      },
    },
    '/members/{name}/tokens': {
      get: {
        summary: "A member's named tokens, without the tokens (admins)",
        parameters: [pathParameter('name')],
        responses: { 200: json('tokens', z.array(listedToken)), 404: problem },
      },
    },
    '/members/{name}/tokens/{id}': {
      delete: {
        summary: "Revoke one of a member's named tokens (admins)",
        parameters: [pathParameter('name'), tokenId],
        responses: { 204: { description: 'revoked' }, 404: problem },
      },
    },
    '/tokens': {
      get: {
        summary:
          "The caller's own named tokens: name, scope, expiry, last use (to the minute), never the token",
        responses: { 200: json('tokens', z.array(listedToken)), 409: problem },
      },
      post: {
        summary:
          'Make a named token of your own, `read` (GET only) or `full`, living 1-366 days; the answer carries the token, shown this once',
        requestBody: body(issueTokenBody),
        responses: {
          201: json('`{ id, name, scope, expiresAt, token }`', issuedToken),
          400: problem,
          409: problem,
        },
      },
    },
    '/tokens/{id}': {
      delete: {
        summary:
          'Revoke one of your named tokens: it stops working at once, and so do sessions opened with it',
        parameters: [tokenId],
        responses: { 204: { description: 'revoked' }, 404: problem, 409: problem },
      },
    },
    '/members/{name}': {
      delete: {
        summary: 'Remove a member; their token stops working',
        parameters: [pathParameter('name')],
        responses: { 204: { description: 'removed' }, 404: problem },
      },
    },
  };
}
