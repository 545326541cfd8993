import { answer, api } from './client';
import type { paths } from './generated/schema';

export type MemberContainer = Awaited<ReturnType<typeof getContainer>>;
export type ContainerRequest = paths['/containers']['post']['requestBody']['content']['application/json'];
export type Limits = ContainerRequest['limits'];
export type Schedule =
  paths['/containers/{name}/schedule']['put']['requestBody']['content']['application/json'];
export type ScheduleRule = NonNullable<Schedule['snapshots']>;

const byName = (name: string) => ({ params: { path: { name } } });

type ListQuery = NonNullable<paths['/containers']['get']['parameters']['query']>;

/** The caller's containers; with `asOf` (a log position or an ISO time) as they were then. */
export const listContainers = (query: ListQuery = {}) =>
  answer(api.GET('/containers', { params: { query } }));
export const getContainer = (name: string) => answer(api.GET('/containers/{name}', byName(name)));
export const createContainer = (body: ContainerRequest) => answer(api.POST('/containers', { body }));
export const deleteContainer = (name: string) =>
  answer(api.DELETE('/containers/{name}', { ...byName(name), body: { confirm: name } }));
export const startContainer = (name: string) => answer(api.POST('/containers/{name}/start', byName(name)));
export const stopContainer = (name: string) => answer(api.POST('/containers/{name}/stop', byName(name)));
export const restartContainer = (name: string) =>
  answer(api.POST('/containers/{name}/restart', byName(name)));
export const setLimits = (name: string, limits: Limits) =>
  answer(api.PUT('/containers/{name}/limits', { ...byName(name), body: limits }));
export const setSshKeys = (name: string, sshKeys: string[]) =>
  answer(api.PUT('/containers/{name}/ssh-keys', { ...byName(name), body: { sshKeys } }));
export const setSchedule = (name: string, schedule: Schedule) =>
  answer(api.PUT('/containers/{name}/schedule', { ...byName(name), body: schedule }));
/** Moves the container to another node (admins): answers it as it runs there once moved. */
export const moveContainer = (name: string, node: string) =>
  answer(api.POST('/containers/{name}/move', { ...byName(name), body: { node } }));
export const containerProgress = (name: string) =>
  answer(api.GET('/containers/{name}/progress', byName(name)));
export const quota = () => answer(api.GET('/quota'));
export const containerImages = () => answer(api.GET('/container-images'));
export type ContainerImages = Awaited<ReturnType<typeof containerImages>>;

export const makeSnapshot = (name: string, snapshot: string) =>
  answer(api.POST('/containers/{name}/snapshots', { ...byName(name), body: { snapshot } }));
export const restoreSnapshot = (name: string, snapshot: string) =>
  answer(
    api.POST('/containers/{name}/snapshots/{snapshot}/restore', { params: { path: { name, snapshot } } }),
  );
export const deleteSnapshot = (name: string, snapshot: string) =>
  answer(api.DELETE('/containers/{name}/snapshots/{snapshot}', { params: { path: { name, snapshot } } }));

export const makeBackup = (name: string, backup: string) =>
  answer(api.POST('/containers/{name}/backups', { ...byName(name), body: { backup } }));
export const restoreBackup = (name: string, backup: string, newName: string) =>
  answer(
    api.POST('/containers/{name}/backups/{backup}/restore', {
      params: { path: { name, backup } },
      body: { newName },
    }),
  );
export const deleteBackup = (name: string, backup: string) =>
  answer(api.DELETE('/containers/{name}/backups/{backup}', { params: { path: { name, backup } } }));
