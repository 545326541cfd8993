import { z } from 'zod';
import { BRANCH_NAME, COMPOSE_PATH, ORG_NAME, REPO_NAME } from '@testausdeploy/domain';
import { queryInteger } from '../../http/query-integer';
import { asOfParameter } from '../../http/as-of';

/** A GitHub organisation's name, by GitHub's rules. */
export const githubOrg = z
  .string()
  .regex(
    ORG_NAME,
    'must be a GitHub organisation name: letters, digits and "-", at most 39, not starting with "-"',
  );

/** Body of `POST /deployments`: the domain's own patterns (DeploymentSource checks them again). */
export const requestDeploymentBody = z
  .object({
    org: githubOrg,
    repo: z
      .string()
      .regex(
        REPO_NAME,
        'must be a GitHub repository name: letters, digits, ".", "_" and "-", at most 100, no ".git"',
      ),
    branch: z
      .string()
      .regex(BRANCH_NAME, 'must be a branch name git accepts (git check-ref-format --branch)')
      .default('main'),
    composePath: z
      .string()
      .regex(COMPOSE_PATH, 'must be a relative path inside the repository, without ".." segments')
      .default('docker-compose.yml'),
  })
  .strict();
export type RequestDeploymentBody = z.infer<typeof requestDeploymentBody>;

export const listDeploymentsQuery = z
  .object({
    limit: queryInteger(1, 500).default(100),
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
