import { answer, api } from './client';

export type Member = Awaited<ReturnType<typeof listMembers>>[number];
export type Role = Member['role'];

const byName = (name: string) => ({ params: { path: { name } } });

export const listMembers = () => answer(api.GET('/members'));
export const addMember = (name: string, role: Role) => answer(api.POST('/members', { body: { name, role } }));
export const replaceToken = (name: string) => answer(api.POST('/members/{name}/token', byName(name)));
export const setRole = (name: string, role: Role) =>
  answer(api.PUT('/members/{name}/role', { ...byName(name), body: { role } }));
export const removeMember = (name: string) => answer(api.DELETE('/members/{name}', byName(name)));
export type IdentityProvider = Member['identities'][number]['provider'];
export const linkIdentity = (name: string, provider: IdentityProvider, login: string) =>
  answer(
    api.PUT('/members/{name}/identities/{provider}', {
      params: { path: { name, provider } },
      body: { login },
    }),
  );
