import { z } from 'zod';

/** Body of `POST /deployments`; field rules beyond shape live in the domain's DeploymentSource. */
export const requestDeploymentBody = z
  .object({
    org: z.string().min(1).max(39),
    repo: z.string().min(1).max(100),
    branch: z.string().min(1).max(255).default('main'),
    composePath: z.string().min(1).max(4096).default('docker-compose.yml'),
  })
  .strict();
export type RequestDeploymentBody = z.infer<typeof requestDeploymentBody>;

export const listDeploymentsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
