import { answer, api } from './client';

export const listOrganisations = () => answer(api.GET('/organisations'));
export const allowOrganisation = (org: string) => answer(api.POST('/organisations', { body: { org } }));
export const disallowOrganisation = (org: string) =>
  answer(api.DELETE('/organisations/{org}', { params: { path: { org } } }));
export const setMemberDeploys = (org: string, allowed: boolean) =>
  answer(api.PUT('/organisations/{org}/member-deploys', { params: { path: { org } }, body: { allowed } }));
