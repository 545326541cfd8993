import { ManagerConfig } from '../config/manager-config';
import { callManager, expectStatus } from './manager-api';

/**
 * `main.js rebuild [read model]`: asks the running Manager to rebuild one read model, or all of them, the same
 * as `POST /admin/projections[/:name]/rebuild`, so the live process does the swap and keeps serving meanwhile.
 */
export async function rebuildCommand(config: ManagerConfig, name: string | undefined): Promise<void> {
  const path = name ? `${encodeURIComponent(name)}/rebuild` : 'rebuild';
  const answer = await callManager(config, 'POST', `/admin/projections/${path}`);
  expectStatus(answer, 'rebuild', 201);
  console.log(JSON.stringify(answer.body));
}
