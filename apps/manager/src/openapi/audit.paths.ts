import { auditFilters } from '../audit/audit.dto';
import { lastEventId, liveEventsQuery } from '../live/live-events.dto';
import { json, problem, queryParameters, schema } from './openapi-helpers';
import { auditPage, chainReport } from './responses/system.responses';

/** The log: searched, checked, and followed live. */
export function auditPaths() {
  return {
    '/audit': {
      get: {
        summary:
          'The audit log: every event with actor, correlation and causation, filtered and paged by cursor',
        parameters: queryParameters(auditFilters),
        responses: {
          200: json('`{ entries, next }`: pass `next` as `cursor` for the next page', auditPage),
          400: problem,
        },
      },
    },
    '/events': {
      get: {
        summary:
          'New events of the log as server-sent events, as far as the caller may see them (a member: their containers)',
        description:
          'Frames: `ready` first (`{ after }`), then one unnamed frame per event (`id` is its position, `data` an ' +
          'audit entry), `end` (`{ reason }`) when the caller no longer gets in. Resumes after `Last-Event-ID` ' +
          '(or `after`; past the end means from the end); without either it starts at the head. At most 8 ' +
          'streams per caller (429 beyond); 503 while the Manager stops. See docs/dashboard.md.',
        parameters: [
          ...queryParameters(liveEventsQuery),
          { name: 'Last-Event-ID', in: 'header', required: false, schema: schema(lastEventId) },
        ],
        responses: {
          200: {
            description:
              'a `text/event-stream` that lasts until the client goes or the caller may no longer read it',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          429: problem,
          503: problem,
        },
      },
    },
    '/audit/verify': {
      get: {
        summary: "Recompute the event log's hash chain and check it against the Manager's signed head",
        responses: {
          200: json(
            '`{ ok, checked, head, firstBreak: { position, reason } | null, signedHead: { position, signedAt } | null }`',
            chainReport,
          ),
        },
      },
    },
  };
}
