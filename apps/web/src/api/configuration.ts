import { answer, api } from './client';

export type Configuration = Awaited<ReturnType<typeof getConfiguration>>;
export type Variable = Configuration['variables'][number];

const byRepository = (org: string, repo: string) => ({ params: { path: { org, repo } } });
const byName = (org: string, repo: string, name: string) => ({ params: { path: { org, repo, name } } });

export const getConfiguration = (org: string, repo: string) =>
  answer(api.GET('/projects/{org}/{repo}/variables', byRepository(org, repo)));
/** Each change answers the deployment it started when asked to `redeploy` (null otherwise). */
export const setVariable = (
  org: string,
  repo: string,
  name: string,
  body: { value: string; secret: boolean; service: string | null; redeploy: boolean },
) => answer(api.PUT('/projects/{org}/{repo}/variables/{name}', { ...byName(org, repo, name), body }));
export const removeVariable = (org: string, repo: string, { name, service }: Variable, redeploy: boolean) =>
  answer(
    api.DELETE('/projects/{org}/{repo}/variables/{name}', {
      params: {
        path: { org, repo, name },
        query: { ...(service ? { service } : {}), redeploy: redeploy ? 'true' : 'false' },
      },
    }),
  );
export const importVariables = (
  org: string,
  repo: string,
  body: { text: string; secret: boolean; redeploy: boolean },
) => answer(api.POST('/projects/{org}/{repo}/variables/import', { ...byRepository(org, repo), body }));
