import { z } from 'zod';
import { memberDeploysBody } from '../organisations/dto/allow-organisation.dto';
import { githubOrg, githubRepo } from '../deployments/dto/request-deployment.dto';
import { memberName } from '../members/dto/member.dto';
import { grantProjectRoleBody, removeProjectBody } from '../projects/dto/project.dto';
import { moveBody } from '../placement/dto/move.dto';
import { accepted } from './responses/deployments.responses';
import { memberDeploys, project, projectRole } from './responses/projects.responses';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';

const repository = [pathParameter('org', githubOrg), pathParameter('repo', githubRepo)];
const memberParameter = pathParameter('name', memberName);

/** Projects and the roles members hold on them; the organisations' setting for member deploys. */
export function projectPaths() {
  return {
    '/projects': {
      get: {
        summary:
          "The projects the caller holds a role on (an admin's: all), with members and newest deployment",
        responses: { 200: json('projects', z.array(project)) },
      },
    },
    '/projects/{org}/{repo}': {
      get: {
        summary: 'One project; one the caller holds no role on answers 404, as one that does not exist',
        parameters: repository,
        responses: { 200: json('the project', project), 404: problem },
      },
      delete: {
        summary:
          'Remove the project with everything of it: its containers, volumes and data on the Worker, its configuration, its notification channels, its data key (its secrets can never be opened again) and every role on it (admins and its maintainers; `confirm` is `org/repo`). 409 for another name in `confirm` and while it is being deployed or removed, 503 when the Worker cannot remove it: nothing is changed then',
        parameters: repository,
        requestBody: body(removeProjectBody),
        responses: {
          204: { description: 'removed' },
          400: problem,
          403: problem,
          404: problem,
          409: problem,
          503: problem,
        },
      },
    },
    '/projects/{org}/{repo}/move': {
      post: {
        summary:
          'Move a running project to another Worker (admins): it is deployed there (its branch head, as a redeploy would), then its routes and ports switch, then it is removed where it ran; a failed move changes nothing. 403 for an organisation no longer allowed; 409 for a project that does not run or runs there already, a drained node, two Workers on one Docker engine; 503 while either node is unreachable',
        parameters: repository,
        requestBody: body(moveBody),
        responses: {
          202: json('accepted: `{ deploymentId }`', accepted),
          400: problem,
          404: problem,
          409: problem,
          503: problem,
        },
      },
    },
    '/projects/{org}/{repo}/members/{name}': {
      put: {
        summary:
          'Give a member `maintainer` or `viewer` on the project, in place of any role they hold (admins)',
        parameters: [...repository, memberParameter],
        requestBody: body(grantProjectRoleBody),
        responses: { 200: json('`{ member, role }`', projectRole), 403: problem, 404: problem, 409: problem },
      },
      delete: {
        summary: "End a member's role on the project (admins)",
        parameters: [...repository, memberParameter],
        responses: { 204: { description: 'revoked' }, 404: problem },
      },
    },
    '/organisations/{org}/member-deploys': {
      put: {
        summary:
          'Let any member deploy a repository of the organisation that is no project yet, becoming its maintainer (off by default)',
        parameters: [pathParameter('org', githubOrg)],
        requestBody: body(memberDeploysBody),
        responses: { 200: json('`{ org, memberDeploys }`', memberDeploys), 404: problem, 409: problem },
      },
    },
  };
}
