import { answer, api } from './client';

export type Project = Awaited<ReturnType<typeof getProject>>;
export type ProjectRole = Project['members'][number]['role'];

const byRepository = (org: string, repo: string) => ({ params: { path: { org, repo } } });
const byMember = (org: string, repo: string, name: string) => ({ params: { path: { org, repo, name } } });

export const listProjects = () => answer(api.GET('/projects'));
export const getProject = (org: string, repo: string) =>
  answer(api.GET('/projects/{org}/{repo}', byRepository(org, repo)));
export const grantRole = (org: string, repo: string, name: string, role: ProjectRole) =>
  answer(api.PUT('/projects/{org}/{repo}/members/{name}', { ...byMember(org, repo, name), body: { role } }));
/** Removes the project with everything of it; `confirm` is its `org/repo`, typed. */
export const removeProject = (org: string, repo: string, confirm: string) =>
  answer(api.DELETE('/projects/{org}/{repo}', { ...byRepository(org, repo), body: { confirm } }));
export const revokeRole = (org: string, repo: string, name: string) =>
  answer(api.DELETE('/projects/{org}/{repo}/members/{name}', byMember(org, repo, name)));
/** Moves the project to another node (admins): answers the deployment that carries the move out. */
export const moveProject = (org: string, repo: string, node: string) =>
  answer(api.POST('/projects/{org}/{repo}/move', { ...byRepository(org, repo), body: { node } }));
