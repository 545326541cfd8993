import { z } from 'zod';
import { asOfParameter } from '../../http/as-of';

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

export const listDeploymentsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    asOf: asOfParameter.optional(),
  })
  .strict();
export type ListDeploymentsParams = z.infer<typeof listDeploymentsQuery>;

/** `Idempotency-Key`: any printable token up to 200 characters. */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable characters without spaces')
  .optional();

/** Query of `DELETE /deployments/:id`: `volumes=true` removes the project's named volumes too. */
export const removeDeploymentQuery = z
  .object({
    volumes: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
  })
  .strict();
export type RemoveDeploymentParams = z.infer<typeof removeDeploymentQuery>;
