import { z } from 'zod';
import { queryInteger } from './query-integer';

/**
 * `asOf`: a log position (an integer) or an ISO 8601 time. Read models built "as of" it show the system as
 * it stood once the log had reached that point.
 */
export const asOfParameter = z.union([
  queryInteger(0, Number.MAX_SAFE_INTEGER).transform((position) => ({ position })),
  z.iso.datetime({ offset: true }).transform((time) => ({ time: new Date(time) })),
]);
export type AsOf = z.infer<typeof asOfParameter>;
