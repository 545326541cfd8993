import { addMemberBody, changeMemberRoleBody } from '../members/dto/member.dto';
import { z } from 'zod';
import { member, memberRole, memberToken, memberWithToken } from './responses/system.responses';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';

/** Members and their tokens: admins only. */
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
    '/members/{name}': {
      delete: {
        summary: 'Remove a member; their token stops working',
        parameters: [pathParameter('name')],
        responses: { 204: { description: 'removed' }, 404: problem },
      },
    },
  };
}
