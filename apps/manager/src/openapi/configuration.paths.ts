import { VARIABLE_NAME } from '@testausdeploy/domain';
import {
  importVariablesBody,
  removeVariableQuery,
  setVariableBody,
} from '../configuration/dto/configuration.dto';
import { githubOrg, githubRepo } from '../deployments/dto/request-deployment.dto';
import { z } from 'zod';
import { configuration, imported, removed, variableSet } from './responses/configuration.responses';
import { json, jsonBody as body, pathParameter, problem, queryParameters } from './openapi-helpers';

const repository = [pathParameter('org', githubOrg), pathParameter('repo', githubRepo)];
const named = [...repository, pathParameter('name', z.string().regex(VARIABLE_NAME))];
const refused = { 403: problem, 404: problem };

/** A project's configuration: its maintainers' and admins' only. */
export function configurationPaths() {
  return {
    '/projects/{org}/{repo}/variables': {
      get: {
        summary:
          "The project's variables and its configuration's version: names, who set each when, plain values; a secret's value never",
        parameters: repository,
        responses: { 200: json('the configuration', configuration), ...refused },
      },
    },
    '/projects/{org}/{repo}/variables/{name}': {
      put: {
        summary:
          'Set a variable for every service, or for `service`; a `secret` one is sealed before it is recorded and never shown again. With `redeploy`, the project is deployed again now with this configuration (409, changing nothing, if nothing of it is deployed)',
        parameters: named,
        requestBody: body(setVariableBody),
        responses: {
          200: json(
            'the variable, without a secret value, and the deployment `redeploy` started',
            variableSet,
          ),
          400: problem,
          ...refused,
          409: problem,
        },
      },
      delete: {
        summary:
          "Remove a variable (the project's, or with `service` that service's); with `redeploy=true`, deploy the project again now",
        parameters: [...named, ...queryParameters(removeVariableQuery)],
        responses: {
          200: json("the configuration's new version and the deployment `redeploy` started", removed),
          400: problem,
          ...refused,
          409: problem,
        },
      },
    },
    '/projects/{org}/{repo}/variables/import': {
      post: {
        summary:
          'Set every `NAME=value` line of a `.env` text, as one change (a name twice: its last value); other lines are skipped and named by number only, never by what they hold',
        parameters: repository,
        requestBody: body(importVariablesBody),
        responses: {
          200: json('`{ version, set: [names], skipped: [{ line, reason }], deploymentId }`', imported),
          400: problem,
          ...refused,
          409: problem,
        },
      },
    },
  };
}
