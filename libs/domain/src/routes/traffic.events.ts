import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

/**
 * A Guardian's proxy answered `requests` for one of a project's host names over one ended hour (`hour`: its start,
 * ISO 8601), `serverErrors` of them with a 5xx status, as counted from its access log.
 */
export type TrafficCounted = DomainEvent<
  'TrafficCounted',
  {
    org: string;
    repo: string;
    guardian: string;
    host: string;
    hour: string;
    requests: number;
    serverErrors: number;
  }
>;

export type TrafficEvent = TrafficCounted;

export const isTrafficEvent = eventGuard<TrafficEvent>(['TrafficCounted']);
