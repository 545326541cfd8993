import { answer, api, reached, refusal } from './client';
import type { paths } from './generated/schema';

export type Deployment = Awaited<ReturnType<typeof getDeployment>>;
export type DeploymentStatus = Deployment['status'];
export type DeploymentRequest = paths['/deployments']['post']['requestBody']['content']['application/json'];

const byId = (id: string) => ({ params: { path: { id } } });

type ListQuery = NonNullable<paths['/deployments']['get']['parameters']['query']>;

/** Newest first, `limit` after the `offset` newest; with `asOf` (a log position or an ISO time) as they stood then. */
export const listDeployments = (query: ListQuery) => answer(api.GET('/deployments', { params: { query } }));
export const getDeployment = (id: string) => answer(api.GET('/deployments/{id}', byId(id)));
export const deploymentLog = (id: string) => answer(api.GET('/deployments/{id}/logs', byId(id)));
export const deploymentContainers = (id: string) => answer(api.GET('/deployments/{id}/containers', byId(id)));
/**
 * The project's container output, the last `tail` lines and then each line as it comes (`follow=true`, a
 * `text/plain` stream), until the containers stop or `signal` aborts it.
 */
export async function followContainerLogs(
  id: string,
  service: string | undefined,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const { response } = await reached(
    api.GET('/deployments/{id}/containers/logs', {
      params: { path: { id }, query: { service, follow: 'true' } },
      parseAs: 'stream',
      signal,
    }),
  );
  if (!response.ok || !response.body) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let partial = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (partial + value).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  }
  if (partial) onLine(partial);
}
export const sourceLocks = () => answer(api.GET('/deployments/locks'));
export const requestDeployment = (body: DeploymentRequest) => answer(api.POST('/deployments', { body }));
export const redeploy = (id: string) => answer(api.POST('/deployments/{id}/redeploy', byId(id)));
export const rollback = (id: string) => answer(api.POST('/deployments/{id}/rollback', byId(id)));
export const stopProject = (id: string) => answer(api.POST('/deployments/{id}/stop', byId(id)));
export const startProject = (id: string) => answer(api.POST('/deployments/{id}/start', byId(id)));
export const restartProject = (id: string) => answer(api.POST('/deployments/{id}/restart', byId(id)));
export const removeProject = (id: string, volumes: boolean) =>
  answer(
    api.DELETE('/deployments/{id}', {
      params: { path: { id }, query: { volumes: volumes ? 'true' : 'false' } },
    }),
  );
