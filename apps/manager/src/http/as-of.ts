import { z } from 'zod';

/**
 * `asOf`: a log position (an integer) or an ISO 8601 time. Read models built "as of" it show the system as
 * it stood once the log had reached that point.
 */
export const asOfParameter = z.union([
  z.coerce
    .number()
    .int()
    .min(0)
    .transform((position) => ({ position })),
  z.iso.datetime({ offset: true }).transform((time) => ({ time: new Date(time) })),
]);
export type AsOf = z.infer<typeof asOfParameter>;
