import { containerLogsQuery } from '../deployments/dto/container-logs.dto';
import {
  idempotencyKey,
  listDeploymentsQuery,
  removeDeploymentQuery,
  requestDeploymentBody,
} from '../deployments/dto/request-deployment.dto';
import { enrolNodeBody, nodeDrainingBody, nodeLabelsBody, rotateNodeKeyBody } from '../nodes/dto/node.dto';
import { allowOrganisationBody } from '../organisations/dto/allow-organisation.dto';
import { auditPaths } from './audit.paths';
import { configurationPaths } from './configuration.paths';
import { routesPaths } from './routes.paths';
import { containerPaths } from './containers.paths';
import { memberPaths } from './members.paths';
import { notificationPaths } from './notifications.paths';
import { projectPaths } from './projects.paths';
import { sessionPaths } from './session.paths';
import { z } from 'zod';
import {
  accepted,
  attemptLog,
  containerLogLines,
  deploymentView,
  projectContainers,
  sourceLocks,
  webhookAnswer,
} from './responses/deployments.responses';
import {
  allowedOrganisation,
  firewall,
  health,
  nodeStatus,
  organisation,
  projections,
  rebuiltAll,
  rebuiltOne,
  stats,
} from './responses/system.responses';
import {
  json,
  pathParameter,
  responseSchema,
  problem,
  queryParameters,
  schema,
  withCommonAnswers,
} from './openapi-helpers';

/** What an action on a deployed project answers: its deployment's view, or why not. */
const projectChanged = {
  200: json('deployment view', deploymentView),
  400: problem,
  403: problem,
  404: problem,
  409: problem,
  503: problem,
};

/** A lifecycle action on a deployment's project: same parameters and answers for each. */
function lifecycle(summary: string) {
  return {
    post: {
      summary,
      parameters: [deploymentId],
      responses: projectChanged,
    },
  };
}

const deploymentId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/**
 * The Manager's OpenAPI 3.1 description, served at `GET /openapi.json`. Request schemas come from the same zod
 * schemas that validate the requests, so the document cannot drift from what the API accepts.
 */
export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Testausdeploy Manager', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'td_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: withCommonAnswers({
      '/health': {
        get: {
          summary: 'Liveness and ICP session state',
          security: [],
          responses: { 200: json('ok', health) },
        },
      },
      '/deployments': {
        post: {
          summary:
            "Request a deployment of a repository branch with a compose file (a member: as its project's maintainer, or a new repository where the organisation lets members deploy)",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Repeating a request with the same key answers with the deployment the first one created',
              schema: schema(idempotencyKey.unwrap()),
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(requestDeploymentBody) } },
          },
          responses: {
            202: json('accepted: `{ deploymentId }`', accepted),
            400: problem,
            401: problem,
            403: problem,
            409: problem,
          },
        },
        get: {
          summary:
            "Deployments, newest first, of the caller's projects (an admin's: all); `asOf` shows them as they stood at a log position or time",
          parameters: queryParameters(listDeploymentsQuery),
          responses: { 200: json('deployment views', z.array(deploymentView)), 400: problem },
        },
      },
      '/deployments/locks': {
        get: {
          summary: 'Repositories being deployed now: deployment, requester, since when, commit',
          responses: { 200: json('the locks held', sourceLocks) },
        },
      },
      '/deployments/{id}': {
        get: {
          summary: 'One deployment: status, commit, compose digest, containers',
          parameters: [deploymentId],
          responses: { 200: json('deployment view', deploymentView), 400: problem, 404: problem },
        },
        delete: {
          summary:
            'Remove the deployed project: containers, networks, built images; volumes with `volumes=true`',
          parameters: [deploymentId, ...queryParameters(removeDeploymentQuery)],
          responses: projectChanged,
        },
      },
      '/deployments/{id}/containers': {
        get: {
          summary: "The project's containers now: state, restarts, CPU and memory, from the Worker's dockerd",
          parameters: [deploymentId],
          responses: {
            200: json('`{ containers }`', projectContainers),
            400: problem,
            404: problem,
            409: problem,
            503: problem,
          },
        },
      },
      '/deployments/{id}/containers/logs': {
        get: {
          summary:
            "The project's container output, each line `<service> | <text>`: the tail as JSON, or with `follow=true` a stream until the client disconnects",
          parameters: [deploymentId, ...queryParameters(containerLogsQuery)],
          responses: {
            200: {
              description:
                '`{ lines }`; with `follow=true`, chunked `text/plain`, one line each; a last line starting with `…` tells of a failure',
              content: {
                'application/json': {
                  schema: responseSchema(containerLogLines),
                },
                'text/plain': { schema: { type: 'string' } },
              },
            },
            400: problem,
            404: problem,
            409: problem,
            503: problem,
          },
        },
      },
      '/deployments/{id}/logs': {
        get: {
          summary: "The attempt's git and compose output (the last 5,000 lines at most)",
          parameters: [deploymentId],
          responses: { 200: json('`{ lines, truncated, running }`', attemptLog), 400: problem, 404: problem },
        },
      },
      '/deployments/{id}/redeploy': {
        post: {
          summary: "Deploy this deployment's source again, at its branch head, as a new attempt",
          parameters: [deploymentId],
          responses: {
            202: json('accepted: `{ deploymentId }`', accepted),
            400: problem,
            403: problem,
            404: problem,
          },
        },
      },
      '/deployments/{id}/rollback': {
        post: {
          summary:
            "Restore this attempt's commit, compose file and configuration version exactly, as a new attempt (409: it never succeeded, or its project was removed since)",
          parameters: [deploymentId],
          responses: {
            202: json('accepted: `{ deploymentId }`', accepted),
            400: problem,
            403: problem,
            404: problem,
            409: problem,
          },
        },
      },
      '/deployments/{id}/stop': lifecycle("Stop the deployed project's containers"),
      '/deployments/{id}/start': lifecycle('Start the stopped project again'),
      '/deployments/{id}/restart': lifecycle("Restart the project's containers"),
      '/webhooks/github': {
        post: {
          summary:
            'GitHub push webhook: deploys the pushed head of followed branches (HMAC-signed, no token)',
          security: [],
          parameters: [
            { name: 'X-Hub-Signature-256', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'X-GitHub-Event', in: 'header', required: true, schema: { type: 'string' } },
            {
              name: 'X-GitHub-Delivery',
              in: 'header',
              required: true,
              description: "the delivery's id: a delivery seen before is answered without acting on it again",
              schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object', description: "GitHub's event payload" } },
            },
          },
          responses: {
            202: json('`{ deployments }`: the deployments it requested', webhookAnswer),
            400: problem,
            401: problem,
            404: problem,
          },
        },
      },
      '/stats': {
        get: {
          summary:
            "Deploys per day and per organisation, success rate, mean deploy time: of the caller's projects (an admin's: all)",
          responses: { 200: json('stats', stats) },
        },
      },
      '/nodes': {
        post: {
          summary:
            "Enrol a Worker or Guardian: name, kind, wss:// address, key fingerprint, a Worker's Guardian",
          requestBody: { required: true, content: { 'application/json': { schema: schema(enrolNodeBody) } } },
          responses: { 201: json('the node', nodeStatus), 400: problem, 409: problem },
        },
        get: {
          summary:
            'The enrolled nodes: whether their ICP session is up (or since when it is down), labels, draining, ' +
            "a Worker's last capacity report and the projects placed on it",
          responses: { 200: json('nodes', z.array(nodeStatus)) },
        },
      },
      '/nodes/{name}': {
        get: {
          summary: 'One enrolled node',
          parameters: [pathParameter('name')],
          responses: { 200: json('the node', nodeStatus), 404: problem },
        },
        delete: {
          summary:
            'Remove a node: a Worker only once nothing is placed on it, a Guardian only once no Worker names it',
          parameters: [pathParameter('name')],
          responses: { 204: { description: 'removed' }, 404: problem, 409: problem },
        },
      },
      '/nodes/{name}/fingerprint': {
        put: {
          summary: "Pin a node's new key after `main.js rotate-key` on it",
          parameters: [pathParameter('name')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(rotateNodeKeyBody) } },
          },
          responses: { 200: json('the node', nodeStatus), 400: problem, 404: problem, 409: problem },
        },
      },
      '/nodes/{name}/labels': {
        put: {
          summary:
            "Set a Worker's labels, all of them: what placement matches (`containers-only`, `projects-only`)",
          parameters: [pathParameter('name')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(nodeLabelsBody) } },
          },
          responses: { 200: json('the node', nodeStatus), 400: problem, 404: problem, 409: problem },
        },
      },
      '/nodes/{name}/draining': {
        put: {
          summary: 'Drain a Worker (nothing new is placed on it; what runs there stays), or end draining',
          parameters: [pathParameter('name')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(nodeDrainingBody) } },
          },
          responses: { 200: json('the node', nodeStatus), 400: problem, 404: problem, 409: problem },
        },
      },
      '/organisations': {
        get: {
          summary: 'The allow-list: organisations whose repositories may be deployed',
          responses: { 200: json('organisations', z.array(organisation)) },
        },
        post: {
          summary: 'Allow an organisation',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(allowOrganisationBody) } },
          },
          responses: { 201: json('`{ org }`', allowedOrganisation), 400: problem, 409: problem },
        },
      },
      '/organisations/{org}': {
        delete: {
          summary: 'Disallow an organisation: new deployments from it are refused',
          parameters: [pathParameter('org')],
          responses: { 204: { description: 'disallowed' }, 404: problem },
        },
      },
      '/firewall': {
        get: {
          summary:
            'The firewall state the Guardians should hold (which project owns which published host port) and ' +
            "each Guardian's session and last sync",
          responses: {
            200: json(
              '`{ desired: { open, forwards }, guardians: [{ name, connected, lastSync }] }`',
              firewall,
            ),
          },
        },
      },
      '/firewall/sync': {
        post: {
          summary: 'Send the desired firewall state to every connected Guardian now',
          responses: { 200: json('`{ desired, guardians }` after the sync', firewall) },
        },
      },
      ...memberPaths(),
      ...projectPaths(),
      ...sessionPaths(),
      ...auditPaths(),
      ...containerPaths(),
      ...notificationPaths(),
      ...configurationPaths(),
      ...routesPaths(),
      '/admin/projections': {
        get: {
          summary: 'The read models that can be rebuilt, and the rebuilds under way with their progress',
          responses: {
            200: json('`{ projections, rebuilding: [{ name, position, head, startedAt }] }`', projections),
          },
        },
      },
      '/admin/projections/rebuild': {
        post: {
          summary: 'Replay the log into a fresh collection for every read model and swap each in',
          responses: {
            201: json('`{ rebuilt: [{ name, collection, position, events, durationMs }] }`', rebuiltAll),
            409: problem,
          },
        },
      },
      '/admin/projections/{name}/rebuild': {
        post: {
          summary: 'Replay the log into a fresh collection for one read model and swap it in',
          parameters: [pathParameter('name')],
          responses: {
            201: json('`{ name, collection, position, events, durationMs }`', rebuiltOne),
            404: problem,
            409: problem,
          },
        },
      },
    }),
  };
}
