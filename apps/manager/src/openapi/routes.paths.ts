import { githubOrg, githubRepo } from '../deployments/dto/request-deployment.dto';
import { delegateDomainsBody, setRoutesBody } from '../routes/dto/routes.dto';
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
          "Replace the project's routes (maintainers and admins); host names beyond the default one are an admin's to give (403) unless under a domain delegated to the project, and one another project answers at is refused (409). A deployment puts the routed services on the apps network; the proxy serves them once one has run",
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
    '/projects/{org}/{repo}/domains': {
      put: {
        summary:
          "Replace the domains delegated to the project (admins only): its maintainers then give its routes host names under them. A domain at, above or below another project's delegated domain, one under which another project answers, or the apps domain is refused (409)",
        parameters: repository,
        requestBody: body(delegateDomainsBody),
        responses: {
          200: json('the routes, with the domains as they are now', projectRoutes),
          400: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
  };
}
