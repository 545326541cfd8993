import { z } from 'zod';
import { queryFlag } from '../../http/query-flag';
import {
  BRANCH_NAME,
  branchNameProblem,
  COMPOSE_PATH,
  composePathProblem,
  ORG_NAME,
  orgNameProblem,
  REPO_NAME,
  repoNameProblem,
} from '@testausdeploy/domain';
import { named } from '../../http/named';
import { queryInteger } from '../../http/query-integer';
import { asOfParameter } from '../../http/as-of';
import { placementFields } from '../../placement/dto/placement.dto';

/** A GitHub organisation's name, by GitHub's rules. */
export const githubOrg = named(ORG_NAME, orgNameProblem);

/** A GitHub repository's name, by GitHub's rules. */
export const githubRepo = named(REPO_NAME, repoNameProblem);

/** Body of `POST /deployments`: the domain's own patterns (DeploymentSource checks them again). */
export const requestDeploymentBody = z
  .object({
    org: githubOrg,
    repo: githubRepo,
    branch: named(BRANCH_NAME, branchNameProblem).default('main'),
    composePath: named(COMPOSE_PATH, composePathProblem).default('docker-compose.yml'),
    /** Where a repository deployed for the first time goes; a project that runs somewhere must be there. */
    ...placementFields,
  })
  .strict();
export type RequestDeploymentBody = z.infer<typeof requestDeploymentBody>;

export const listDeploymentsQuery = z
  .object({
    limit: queryInteger(1, 500).default(100),
    /** How many of the newest to pass over first: the page after `offset` deployments. */
    offset: queryInteger(0, 1_000_000).default(0),
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
    volumes: queryFlag(),
  })
  .strict();
export type RemoveDeploymentParams = z.infer<typeof removeDeploymentQuery>;
