import type { AuditEntry } from './audit';
import type { paths } from './generated/schema';
import { whileShown } from '../while-shown';

/** The live event route, checked against the OpenAPI document: a route the document lacks does not compile. */
const LIVE: keyof paths = '/events';
type LiveQuery = NonNullable<paths['/events']['get']['parameters']['query']>;

/** An event of the log as the stream carries it: an audit entry. */
export type LiveEvent = AuditEntry;

export type LiveState =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'dropped'; retryInMs: number }
  | { state: 'ended'; reason: string };

/** The waits before reconnecting after one, two, … failures in a row. */
export function backoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Follows the log's new events that the signed-in caller may see (`GET /events`, server-sent). When the
 * connection drops it says so and reconnects with backoff, from the last position it got: the Manager resumes
 * there, so nothing is missed and nothing comes twice. Hidden in the back/forward cache, the page lets the
 * stream go, and follows on from there when shown again. Returns the function that stops following.
 */
export function followEvents(onEvent: (event: LiveEvent) => void, onState: (state: LiveState) => void) {
  let after: number | undefined;
  let failures = 0;
  let source: EventSource | null = null;
  let timer: number | undefined;
  const connect = () => {
    const query: LiveQuery = after === undefined ? {} : { after };
    source = new EventSource(query.after === undefined ? LIVE : `${LIVE}?after=${query.after}`);
    onState({ state: 'connecting' });
    source.addEventListener('ready', (message) => {
      after = (JSON.parse(message.data) as { after: number }).after;
      failures = 0;
      onState({ state: 'open' });
    });
    source.addEventListener('message', (message) => {
      const event = JSON.parse(message.data) as LiveEvent;
      after = event.position;
      onEvent(event);
    });
    source.addEventListener('end', (message) => {
      source?.close();
      onState({ state: 'ended', reason: (JSON.parse(message.data) as { reason: string }).reason });
    });
    // EventSource would retry by itself at a fixed pace; this waits longer after each failure instead.
    source.addEventListener('error', () => {
      source?.close();
      const retryInMs = backoffMs(++failures);
      onState({ state: 'dropped', retryInMs });
      timer = window.setTimeout(connect, retryInMs);
    });
  };
  return whileShown(() => {
    connect();
    return () => {
      window.clearTimeout(timer);
      source?.close();
    };
  });
}

/** Events of one stream (`deployment-<id>`, `container-<name>`). */
export const inStream =
  (streamId: string) =>
  (event: LiveEvent): boolean =>
    event.streamId === streamId;

/** Events of every stream of the kinds given (`deployment-`, `container-`, `member-`). */
export const inStreams =
  (...prefixes: string[]) =>
  (event: LiveEvent): boolean =>
    prefixes.some((prefix) => event.streamId.startsWith(prefix));
