import { MAX_LOG_TAIL } from '@testausdeploy/icp';
import { z } from 'zod';
import { queryFlag } from '../../http/query-flag';
import { queryInteger } from '../../http/query-integer';

/** Query of `GET /deployments/:id/containers/logs`. */
export const containerLogsQuery = z
  .object({
    service: z.string().min(1).max(100).optional(),
    tail: queryInteger(0, MAX_LOG_TAIL).default(200),
    follow: queryFlag(),
    since: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type ContainerLogsParams = z.infer<typeof containerLogsQuery>;
