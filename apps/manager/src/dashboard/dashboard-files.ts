import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every page of the dashboard is under this path; no API route starts with it (openapi-routes.int.spec.ts). */
export const DASHBOARD_PATH = '/ui';

/** Where `npm run build` puts the dashboard: `dist/web`, beside the compiled apps. */
export const BUILT_DASHBOARD = join(__dirname, '..', '..', '..', '..', 'web');

/** Whether `directory` holds a built dashboard. */
export function dashboardBuilt(directory: string): boolean {
  return existsSync(join(directory, 'index.html'));
}
