import { z } from 'zod';
import { ProjectSummary } from '../../projects/project-directory';
import { describing, time } from './described';
import { STATUSES } from './deployments.responses';

const role = z.enum(['maintainer', 'viewer']);

export const project = describing<ProjectSummary>()(
  z.strictObject({
    org: z.string(),
    repo: z.string(),
    access: z.enum(['admin', 'maintainer', 'viewer']),
    members: z.array(z.strictObject({ member: z.string(), role, grantedBy: z.string(), grantedAt: time })),
    latest: z
      .strictObject({
        deploymentId: z.string(),
        branch: z.string(),
        composePath: z.string(),
        requestedAt: time,
        status: z.enum(STATUSES).nullable(),
      })
      .nullable(),
    placement: z
      .strictObject({
        node: z.string(),
        rule: z.enum(['named', 'labels', 'capacity', 'only', 'moved']),
        reason: z.string(),
        by: z.string(),
        at: time,
        leftOn: z
          .array(z.string())
          .describe(
            'the nodes it moved away from where what it left is still to be removed (done when their Worker answers)',
          ),
      })
      .nullable(),
    unreachableSince: time.nullable(),
  }),
);

export const projectRole = z.strictObject({ member: z.string(), role });

export const memberDeploys = z.strictObject({ org: z.string(), memberDeploys: z.boolean() });
