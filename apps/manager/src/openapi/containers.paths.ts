import {
  backupBody,
  containerLimitsBody,
  createContainerBody,
  deleteContainerBody,
  listContainersQuery,
  restoreBackupBody,
  scheduleBody,
  snapshotBody,
  sshKeysBody,
} from '../containers/dto/container.dto';
import { z } from 'zod';
import { moveBody } from '../placement/dto/move.dto';
import {
  backupView,
  containerImages,
  containerProgress,
  containerView,
  listedBackups,
  liveContainerView,
  memberUsage,
  snapshotViews,
} from './responses/containers.responses';
import { json, jsonBody as body, pathParameter, problem, queryParameters } from './openapi-helpers';

const name = pathParameter('name');
/**
 * Every container route answers these: bad input, a right the caller lacks (nesting, another's user), none (also
 * for another member's container or backup), a state that refuses it, no Worker.
 */
const refusals = { 400: problem, 403: problem, 404: problem, 409: problem, 503: problem };
const view = json('container view', containerView);
const made = { 201: view };
const deleted = { 204: { description: 'deleted' } };
/** An operation on the container `name`: its answer (by default 200, the container view) and the refusals. */
const change = (summary: string, extra: object = {}, answer: object = { 200: view }) => ({
  summary,
  parameters: [name],
  ...extra,
  responses: { ...answer, ...refusals },
});
/** The same on one of its snapshots or backups. */
const child = (param: string, summary: string, extra: object = {}, answer: object = { 200: view }) => ({
  summary,
  parameters: [name, pathParameter(param)],
  ...extra,
  responses: { ...answer, ...refusals },
});

/** Members' containers: open to members for their own, to admins for all. */
export function containerPaths() {
  return {
    '/containers': {
      post: {
        summary: "Create a member's container with their SSH keys (admins name the owner)",
        requestBody: body(createContainerBody),
        responses: { 201: view, ...refusals },
      },
      get: {
        summary: "The caller's containers (an admin's: all, or `?owner=`); `?asOf=` as they were then",
        parameters: queryParameters(listContainersQuery),
        responses: { 200: json('containers', z.array(containerView)), 400: problem },
      },
    },
    '/containers/{name}': {
      get: change(
        'The container as recorded, with `live`: its state and resource use from LXD now',
        {},
        { 200: json('container view with `live`', liveContainerView) },
      ),
      delete: {
        summary: 'Delete the container and its snapshots (not its backups); needs `{ confirm: name }`',
        parameters: [name],
        requestBody: body(deleteContainerBody),
        responses: { ...deleted, ...refusals },
      },
    },
    '/containers/{name}/progress': {
      get: change(
        "The running (or last) create, restore or export: the Worker's progress lines",
        {},
        { 200: json('`{ operation, lines, running, startedAt }`', containerProgress) },
      ),
    },
    '/containers/{name}/start': { post: change('Start it') },
    '/containers/{name}/stop': { post: change('Stop it') },
    '/containers/{name}/move': {
      post: change(
        'Move it to another Worker (admins): stopped, backed up, carried there and restored under its name and SSH port, running again if it ran; a failed move leaves it where it was. 409 for a drained or projects-only node, or where it runs already; 503 while either node is unreachable',
        { requestBody: body(moveBody) },
      ),
    },
    '/containers/{name}/restart': { post: change('Restart it') },
    '/containers/{name}/limits': {
      put: change('Change its limits within the quota', { requestBody: body(containerLimitsBody) }),
    },
    '/containers/{name}/ssh-keys': {
      put: change("Replace the member's SSH keys in it", { requestBody: body(sshKeysBody) }),
    },
    '/containers/{name}/schedule': {
      put: change('Scheduled snapshots and backups, with how many to keep', {
        requestBody: body(scheduleBody),
      }),
    },
    '/containers/{name}/snapshots': {
      get: change('Its snapshots', {}, { 200: json('snapshots', snapshotViews) }),
      post: change('Take a snapshot', { requestBody: body(snapshotBody) }, made),
    },
    '/containers/{name}/snapshots/{snapshot}/restore': {
      post: child('snapshot', 'Put it back to the snapshot'),
    },
    '/containers/{name}/snapshots/{snapshot}': {
      delete: child('snapshot', 'Delete the snapshot', {}, deleted),
    },
    '/containers/{name}/backups': {
      get: change('Its backups', {}, { 200: json('backups of this container', z.array(backupView)) }),
      post: change(
        "Export a backup to the Worker's backup directory",
        { requestBody: body(backupBody) },
        made,
      ),
    },
    '/containers/{name}/backups/{backup}/restore': {
      post: child(
        'backup',
        'A new container `newName` from the backup',
        { requestBody: body(restoreBackupBody) },
        { 201: json('the new container', containerView) },
      ),
    },
    '/containers/{name}/backups/{backup}': { delete: child('backup', 'Delete the backup', {}, deleted) },
    '/backups': {
      get: {
        summary:
          "Every backup the caller owns, also of deleted containers (an admin's: all, or `?owner=`), oldest first",
        responses: {
          200: json('backups, each with `id`, `container` and `containerDeleted`', listedBackups),
        },
      },
    },
    '/container-images': {
      get: {
        summary:
          "The images a container may be made from (the Worker's allow-list, each with whether its LXD has it) and the default",
        responses: {
          200: json('`default` and `images`', containerImages),
          409: problem,
          503: problem,
        },
      },
    },
    '/quota': {
      get: {
        summary:
          "The caller's quotas and what they use of them, and one container's largest limits (an admin names the member: `?member=`)",
        parameters: [{ name: 'member', in: 'query', required: false, schema: { type: 'string' } }],
        responses: {
          200: json(
            'the most one container may have; containers, snapshots and backups: used and max',
            memberUsage,
          ),
          400: problem,
          404: problem,
        },
      },
    },
    '/backups/{id}/restore': {
      post: {
        summary: 'A new container `newName` from the backup, owned by its owner',
        parameters: [pathParameter('id')],
        requestBody: body(restoreBackupBody),
        responses: { 201: view, ...refusals },
      },
    },
    '/backups/{id}': {
      delete: {
        summary: 'Delete the backup',
        parameters: [pathParameter('id')],
        responses: { ...deleted, ...refusals },
      },
    },
  };
}
