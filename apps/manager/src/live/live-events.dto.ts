import { z } from 'zod';
import { queryInteger } from '../http/query-integer';

const position = queryInteger(0, Number.MAX_SAFE_INTEGER);

/** Query of `GET /events`: `after` resumes after that position, for clients that cannot send Last-Event-ID. */
export const liveEventsQuery = z.object({ after: position.optional() }).strict();
export type LiveEventsQuery = z.infer<typeof liveEventsQuery>;

/** The `Last-Event-ID` header a reconnecting EventSource sends: the position of the last event it got. */
export const lastEventId = position.optional();
