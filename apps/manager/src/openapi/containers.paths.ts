import {
  backupBody,
  containerLimitsBody,
  createContainerBody,
  deleteContainerBody,
  restoreBackupBody,
  scheduleBody,
  snapshotBody,
  sshKeysBody,
} from '../containers/dto/container.dto';
import { json, jsonBody as body, pathParameter, problem } from './openapi-helpers';

const name = pathParameter('name');
/**
 * Every container route answers these: bad input, a right the caller lacks (nesting, another's user), none (also
 * for another member's container or backup), a state that refuses it, no Worker.
 */
const refusals = { 400: problem, 403: problem, 404: problem, 409: problem, 503: problem };
const change = (summary: string, extra: object = {}) => ({
  summary,
  parameters: [name],
  ...extra,
  responses: { 200: json('container view'), ...refusals },
});
const child = (param: string, summary: string, extra: object = {}) => ({
  summary,
  parameters: [name, pathParameter(param)],
  ...extra,
  responses: { 200: json('container view'), ...refusals },
});

/** Members' containers: open to members for their own, to admins for all. */
export function containerPaths() {
  return {
    '/containers': {
      post: {
        summary: "Create a member's container with their SSH keys (admins name the owner)",
        requestBody: body(createContainerBody),
        responses: { 201: json('container view'), ...refusals },
      },
      get: {
        summary: "The caller's containers (an admin's: all, or `?owner=`)",
        responses: { 200: json('containers') },
      },
    },
    '/containers/{name}': {
      get: change('The container as recorded, with `live`: its state and resource use from LXD now'),
      delete: {
        summary: 'Delete the container and its snapshots (not its backups); needs `{ confirm: name }`',
        parameters: [name],
        requestBody: body(deleteContainerBody),
        responses: { 204: { description: 'deleted' }, ...refusals },
      },
    },
    '/containers/{name}/progress': {
      get: change("The running (or last) create, restore or export: the Worker's progress lines"),
    },
    '/containers/{name}/start': { post: change('Start it') },
    '/containers/{name}/stop': { post: change('Stop it') },
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
      get: change('Its snapshots'),
      post: change('Take a snapshot', { requestBody: body(snapshotBody) }),
    },
    '/containers/{name}/snapshots/{snapshot}/restore': {
      post: child('snapshot', 'Put it back to the snapshot'),
    },
    '/containers/{name}/snapshots/{snapshot}': { delete: child('snapshot', 'Delete the snapshot') },
    '/containers/{name}/backups': {
      get: change('Its backups'),
      post: change("Export a backup to the Worker's backup directory", { requestBody: body(backupBody) }),
    },
    '/containers/{name}/backups/{backup}/restore': {
      post: child('backup', 'A new container `newName` from the backup', {
        requestBody: body(restoreBackupBody),
      }),
    },
    '/containers/{name}/backups/{backup}': { delete: child('backup', 'Delete the backup') },
    '/backups': {
      get: {
        summary:
          "Every backup the caller owns, also of deleted containers (an admin's: all, or `?owner=`), oldest first",
        responses: { 200: json('backups, each with `id`, `container` and `containerDeleted`') },
      },
    },
    '/quota': {
      get: {
        summary: "The caller's quotas and what they use of them (an admin names the member: `?member=`)",
        parameters: [{ name: 'member', in: 'query', required: false, schema: { type: 'string' } }],
        responses: {
          200: json('containers, snapshots and backups: used and max'),
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
        responses: { 201: json('container view'), ...refusals },
      },
    },
    '/backups/{id}': {
      delete: {
        summary: 'Delete the backup',
        parameters: [pathParameter('id')],
        responses: { 204: { description: 'deleted' }, ...refusals },
      },
    },
  };
}
