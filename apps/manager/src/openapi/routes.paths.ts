import { githubOrg, githubRepo } from '../deployments/dto/request-deployment.dto';
import { setRoutesBody } from '../routes/dto/routes.dto';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';
import { projectRoutes } from './responses/routes.responses';

const repository = [pathParameter('org', githubOrg), pathParameter('repo', githubRepo)];

/** A project's routes through the proxy. */
export function routesPaths() {
  return {
    '/projects/{org}/{repo}/routes': {
      get: {
        summary:
          "The project's routes: which service and port answers at which host names over HTTPS (the first route at the default host name too), and where the running version answers",
        parameters: repository,
        responses: { 200: json('the routes', projectRoutes), 403: problem, 404: problem },
      },
      put: {
        summary:
          "Replace the project's routes (maintainers and admins); host names beyond the default one are an admin's to give (403), and one another project answers at is refused (409). A deployment puts the routed services on the apps network; the proxy serves them once one has run",
        parameters: repository,
        requestBody: body(setRoutesBody),
        responses: {
          200: json('the routes as they are now', projectRoutes),
          400: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
  };
}
