import {
  importVariablesBody,
  setVariableBody,
  VARIABLE_NAME,
  variableServiceQuery,
} from '../configuration/dto/configuration.dto';
import { githubOrg, githubRepo } from '../deployments/dto/request-deployment.dto';
import { z } from 'zod';
import { configuration, imported, variable } from './responses/configuration.responses';
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
          'Set a variable for every service, or for `service`; a `secret` one is sealed before it is recorded and never shown again',
        parameters: named,
        requestBody: body(setVariableBody),
        responses: { 200: json('the variable, without a secret value', variable), 400: problem, ...refused },
      },
      delete: {
        summary: "Remove a variable (the project's, or with `service` that service's)",
        parameters: [...named, ...queryParameters(variableServiceQuery)],
        responses: { 204: { description: 'removed' }, 400: problem, ...refused },
      },
    },
    '/projects/{org}/{repo}/variables/import': {
      post: {
        summary:
          'Set every `NAME=value` line of a `.env` text, as one change (a name twice: its last value); other lines are skipped and named by number only, never by what they hold',
        parameters: repository,
        requestBody: body(importVariablesBody),
        responses: {
          200: json('`{ version, set: [names], skipped: [{ line, reason }] }`', imported),
          400: problem,
          ...refused,
        },
      },
    },
  };
}
