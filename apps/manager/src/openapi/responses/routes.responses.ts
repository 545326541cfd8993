import { z } from 'zod';
import { certificateState } from '@testausdeploy/icp';
import { ProjectRoutesAnswer } from '../../routes/queries/get-project-routes.query';
import { describing } from './described';

export const projectRoutes = describing<ProjectRoutesAnswer>()(
  z.strictObject({
    org: z.string(),
    repo: z.string(),
    defaultHost: z.string().nullable(),
    domains: z.array(z.string()),
    serving: z.boolean(),
    routes: z.array(
      z.strictObject({
        service: z.string(),
        port: z.number().int(),
        hosts: z.array(z.string()),
        servedAt: z.array(z.string()),
        heldElsewhere: z.array(z.strictObject({ host: z.string(), heldBy: z.string() })),
        certificates: z.array(certificateState),
        requests: z
          .strictObject({ requests: z.number().int(), serverErrors: z.number().int(), since: z.string() })
          .nullable(),
        upstream: z.strictObject({ address: z.string(), port: z.number().int() }).nullable(),
      }),
    ),
  }),
);
