import { z } from 'zod';
import { queryInteger } from '../http/query-integer';
import { asOfParameter } from '../http/as-of';

export const auditFilters = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    streamId: z.string().min(1).max(200).optional(),
    type: z.string().min(1).max(100).optional(),
    correlationId: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Only entries up to this point: the audit log as it stood then. */
    asOf: asOfParameter.optional(),
    order: z.enum(['newest', 'oldest']).default('newest'),
    /** The `next` of the previous page. */
    cursor: queryInteger(0, Number.MAX_SAFE_INTEGER).optional(),
    limit: queryInteger(1, 500).default(100),
  })
  .strict();
export type AuditFilters = z.infer<typeof auditFilters>;
