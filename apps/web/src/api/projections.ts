import { answer, api } from './client';

export const listProjections = () => answer(api.GET('/admin/projections'));
export const rebuildAll = () => answer(api.POST('/admin/projections/rebuild'));
export const rebuildOne = (name: string) =>
  answer(api.POST('/admin/projections/{name}/rebuild', { params: { path: { name } } }));
