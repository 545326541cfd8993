import { answer, api } from './client';
import type { paths } from './generated/schema';

export type AuditQuery = NonNullable<paths['/audit']['get']['parameters']['query']>;
export type AuditPage = Awaited<ReturnType<typeof auditPage>>;
export type AuditEntry = AuditPage['entries'][number];

export const auditPage = (query: AuditQuery) => answer(api.GET('/audit', { params: { query } }));
export const verifyChain = () => answer(api.GET('/audit/verify'));
