import { answer, api } from './client';
import type { paths } from './generated/schema';

export type TokenRequest = paths['/tokens']['post']['requestBody']['content']['application/json'];
export type Token = Awaited<ReturnType<typeof listTokens>>[number];
export type TokenScope = Token['scope'];

export const listTokens = () => answer(api.GET('/tokens'));
export const issueToken = (body: TokenRequest) => answer(api.POST('/tokens', { body }));
export const revokeToken = (id: string) => answer(api.DELETE('/tokens/{id}', { params: { path: { id } } }));
