import { ManagerConfig } from '../config/manager-config';

/**
 * `main.js rebuild [read model]`: asks the running Manager to rebuild one read model, or all of them, the same
 * as `POST /admin/projections[/:name]/rebuild`, so the live process does the swap and keeps serving meanwhile.
 */
export async function rebuildCommand(config: ManagerConfig, name: string | undefined): Promise<void> {
  const host = config.MANAGER_HOST === '0.0.0.0' ? '127.0.0.1' : config.MANAGER_HOST;
  const path = name ? `${encodeURIComponent(name)}/rebuild` : 'rebuild';
  const url = `http://${host}:${config.MANAGER_PORT}/admin/projections/${path}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.ADMIN_TOKEN}` },
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`rebuild failed: ${res.status} ${body}`);
  console.log(body);
}
