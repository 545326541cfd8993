import { AggregateRoot } from '../aggregate-root';
import { InvalidInput } from '../errors';
import { TrafficCounted, TrafficEvent } from './traffic.events';

type Count = Omit<TrafficCounted['data'], 'org' | 'repo'>;

/**
 * The requests a project's host names got through the proxies over one UTC day, per Guardian, host name and hour:
 * one stream per project and day, so each is small to load. Each hour of a host name is recorded once per
 * Guardian, however often it is reported.
 */
export class ProjectTraffic extends AggregateRoot<TrafficEvent> {
  private readonly counted = new Set<string>();

  constructor(
    readonly org: string,
    readonly repo: string,
    readonly day: string,
  ) {
    super();
  }

  static streamId(org: string, repo: string, day: string): string {
    return `traffic-${org}/${repo}-${day}`;
  }

  /** Records an ended hour's count of this day, unless it was recorded already. */
  count(count: Count): void {
    const hour = new Date(count.hour);
    if (Number.isNaN(hour.getTime()) || hour.toISOString() !== count.hour || hour.getUTCMinutes() !== 0)
      throw new InvalidInput(`${JSON.stringify(count.hour)} is not the start of an hour`);
    if (count.hour.slice(0, 10) !== this.day) throw new InvalidInput(`${count.hour} is not of ${this.day}`);
    if (![count.requests, count.serverErrors].every((n) => Number.isInteger(n) && n >= 0))
      throw new InvalidInput('counts are whole numbers');
    if (count.serverErrors > count.requests) throw new InvalidInput('more server errors than requests');
    if (this.counted.has(key(count))) return;
    this.record({ type: 'TrafficCounted', data: { org: this.org, repo: this.repo, ...count } });
  }

  protected apply(event: TrafficEvent): void {
    this.counted.add(key(event.data));
  }
}

function key({ guardian, host, hour }: Pick<Count, 'guardian' | 'host' | 'hour'>): string {
  return `${guardian} ${host} ${hour}`;
}
