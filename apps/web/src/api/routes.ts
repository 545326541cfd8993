import { answer, api } from './client';

export type ProjectRoutes = Awaited<ReturnType<typeof getRoutes>>;
export type Route = ProjectRoutes['routes'][number];
export type RouteToSet = { service: string; port: number; hosts: string[] };

const byRepository = (org: string, repo: string) => ({ params: { path: { org, repo } } });

export const getRoutes = (org: string, repo: string) =>
  answer(api.GET('/projects/{org}/{repo}/routes', byRepository(org, repo)));
/** Replaces every route of the project. */
export const setRoutes = (org: string, repo: string, routes: RouteToSet[]) =>
  answer(api.PUT('/projects/{org}/{repo}/routes', { ...byRepository(org, repo), body: { routes } }));
/** Replaces the domains delegated to the project (admins). */
export const delegateDomains = (org: string, repo: string, domains: string[]) =>
  answer(api.PUT('/projects/{org}/{repo}/domains', { ...byRepository(org, repo), body: { domains } }));
