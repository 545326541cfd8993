import { answer, api } from './client';
import type { paths } from './generated/schema';

export type NodeStatus = Awaited<ReturnType<typeof listNodes>>[number];
export type Enrolment = paths['/nodes']['post']['requestBody']['content']['application/json'];

const byName = (name: string) => ({ params: { path: { name } } });

export const listNodes = () => answer(api.GET('/nodes'));
export const enrolNode = (body: Enrolment) => answer(api.POST('/nodes', { body }));
export const rekeyNode = (name: string, fingerprint: string) =>
  answer(api.PUT('/nodes/{name}/fingerprint', { ...byName(name), body: { fingerprint } }));
export const removeNode = (name: string) => answer(api.DELETE('/nodes/{name}', byName(name)));
export const labelNode = (name: string, labels: string[]) =>
  answer(api.PUT('/nodes/{name}/labels', { ...byName(name), body: { labels } }));
export const drainNode = (name: string, draining: boolean) =>
  answer(api.PUT('/nodes/{name}/draining', { ...byName(name), body: { draining } }));
