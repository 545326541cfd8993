import { answer, api } from './client';

/** Who the page acts as: actor, role, member, and when the session ends. */
export type WhoAmI = Awaited<ReturnType<typeof whoAmI>>;

export const whoAmI = () => answer(api.GET('/session'));
export const signIn = (token: string) => answer(api.POST('/session', { body: { token } }));
export const signOut = () => answer(api.DELETE('/session'));
export const signInProviders = () => answer(api.GET('/session/providers'));
export const signInRefusal = (id: string) =>
  answer(api.GET('/session/refusals/{id}', { params: { path: { id } } }));
