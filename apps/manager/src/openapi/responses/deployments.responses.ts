import { z } from 'zod';
import { DeploymentStatus } from '@testausdeploy/domain';
import { containerUsage, containerView as deployedContainer } from '@testausdeploy/icp';
import { DeploymentView } from '../../deployments/projections/deployment-view';
import { SourceLock } from '../../deployments/source-locks';
import { describing, time } from './described';

export const STATUSES: DeploymentStatus[] = ['requested', 'succeeded', 'failed', 'stopped', 'removed'];

export const deploymentView = describing<Omit<DeploymentView, '_id'>>()(
  z.strictObject({
    id: z.string(),
    org: z.string(),
    repo: z.string(),
    branch: z.string(),
    composePath: z.string(),
    status: z.enum(STATUSES),
    commit: z.string().nullable(),
    composeDigest: z.string().nullable(),
    reason: z.string().nullable(),
    containers: z.array(deployedContainer),
    diskBytes: z.number().int().nullable(),
    handover: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('beside') }),
        z.strictObject({ mode: z.literal('replace'), reason: z.string() }),
      ])
      .nullable()
      .describe(
        'for a project with routes: whether the version started beside the running one (no request dropped) or in place, and why',
      ),
    requestedBy: z.string(),
    configurationVersion: z.number().int().nonnegative(),
    rollbackOf: z.string().nullable(),
    moveTo: z.string().nullable(),
    requestedAt: time,
    requestedPosition: z.number().int(),
    updatedAt: time,
    position: z.number().int(),
  }),
);

export const accepted = z.strictObject({ deploymentId: z.string() });

export const sourceLocks = z.array(
  describing<SourceLock>()(
    z.strictObject({
      org: z.string(),
      repo: z.string(),
      deploymentId: z.string(),
      requestedBy: z.string(),
      since: time,
      commit: z.string().nullable(),
    }),
  ),
);

export const projectContainers = z.strictObject({ containers: z.array(containerUsage) });
export const containerLogLines = z.strictObject({ lines: z.array(z.string()) });
export const attemptLog = z.strictObject({
  lines: z.array(z.string()),
  truncated: z.boolean(),
  running: z.boolean(),
});

export const webhookAnswer = z.strictObject({
  deployments: z.array(z.string()),
  ignored: z.string().optional(),
});
