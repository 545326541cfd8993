import { open } from 'node:fs/promises';

/** At most this much of the access log is read at a time; the rest is read the next time. */
const MAX_READ_BYTES = 8 * 1024 * 1024;
const HOUR_MS = 60 * 60_000;
/** An hour is reported once it ended this long ago: Caddy logs a request when it ends. */
const HOUR_SETTLED_MS = 60_000;
/** Ended hours are reported for this many hours, so a Manager that was away up to a day hears of them later. */
const HOURS_KEPT = 24;

export interface HostRequests {
  requests: number;
  /** Answers with a 5xx status: the app's, or the proxy's when the app did not answer. */
  serverErrors: number;
}

/**
 * One host name's requests over one ended hour (`hour`: its start, ISO 8601), and whose route it was when they were
 * counted (`owner`): a host name that moves to another project within the hours kept is not credited to it.
 */
export interface HourRequests extends HostRequests {
  host: string;
  hour: string;
  owner: string;
}

/**
 * The requests of each host name, counted from Caddy's access log as it grows: each read takes what was appended
 * since the last one (whole lines only), and a log made since, or rolled over (a new file, or a shorter one), is
 * read from its start. Counted twice over: since the Guardian started, and per hour (and route owner) by the
 * time Caddy logged each request. The first read also takes up to the last MAX_READ_BYTES the log held already, for the hours only
 * (what an earlier Guardian counted of the hour it stopped in): a Guardian restarted within an hour still counts it
 * whole.
 */
export class AccessCounts {
  readonly since: string;
  private readonly startedAt: number;
  private readonly counts = new Map<string, HostRequests>();
  /** `hour host owner` → its requests. */
  private readonly hourly = new Map<string, HourRequests>();
  private offset = 0;
  private inode: number | null = null;
  /** Whether the log was looked at once. */
  private started = false;

  constructor(
    private readonly log: string,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.since = new Date(this.startedAt).toISOString();
  }

  /**
   * The requests of the routed host names, `owners` (host name → its route's owner): only theirs are counted,
   * whatever else is asked for.
   */
  async of(owners: ReadonlyMap<string, string>): Promise<({ host: string } & HostRequests)[]> {
    await this.read(owners).catch(() => undefined);
    return [...owners.keys()].map((host) => ({
      host,
      ...(this.counts.get(host) ?? { requests: 0, serverErrors: 0 }),
    }));
  }

  /** The last HOURS_KEPT ended hours, oldest first (call after `of`). */
  hours(): HourRequests[] {
    const ended = this.now() - HOUR_SETTLED_MS - HOUR_MS;
    const oldest = this.now() - (HOURS_KEPT + 1) * HOUR_MS;
    const hours: HourRequests[] = [];
    for (const [key, counts] of this.hourly) {
      const start = Date.parse(counts.hour);
      if (start < oldest) this.hourly.delete(key);
      else if (start <= ended) hours.push(counts);
    }
    return hours.sort(
      (a, b) =>
        a.hour.localeCompare(b.hour) || a.host.localeCompare(b.host) || a.owner.localeCompare(b.owner),
    );
  }

  private async read(routed: ReadonlyMap<string, string>): Promise<void> {
    const file = await open(this.log, 'r').catch(() => null);
    if (!file) {
      this.started = true;
      return;
    }
    try {
      const { size, ino } = await file.stat();
      let earlier = false;
      if (!this.started) {
        this.started = true;
        earlier = true;
        [this.inode, this.offset] = [ino, Math.max(0, size - MAX_READ_BYTES)];
      }
      // A new log (made since, or rolled over) is read from its start.
      if (ino !== this.inode || size < this.offset) [this.inode, this.offset] = [ino, 0];
      const length = Math.min(size - this.offset, MAX_READ_BYTES);
      if (length <= 0) return;
      const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, this.offset);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const whole = text.lastIndexOf('\n') + 1;
      this.offset += Buffer.byteLength(text.slice(0, whole));
      const lines = text.slice(0, whole).split('\n');
      // Read from the middle of the log, the first line may be the end of one.
      for (const line of earlier && this.offset - whole > 0 ? lines.slice(1) : lines)
        this.count(line, routed);
    } finally {
      await file.close();
    }
  }

  private count(line: string, routed: ReadonlyMap<string, string>): void {
    let entry: { ts?: unknown; request?: { host?: unknown }; status?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    const host =
      typeof entry.request?.host === 'string' ? entry.request.host.replace(/:\d+$/, '').toLowerCase() : null;
    // Caddy logs requests for any host name it is asked for: only the routed ones take room here.
    if (!host || !routed.has(host) || typeof entry.status !== 'number') return;
    const error = entry.status >= 500 ? 1 : 0;
    const at = typeof entry.ts === 'number' ? entry.ts * 1000 : this.now();
    const hour = new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString();
    const owner = routed.get(host) as string;
    const key = `${hour} ${host} ${owner}`;
    const bucket = this.hourly.get(key) ?? { host, hour, owner, requests: 0, serverErrors: 0 };
    this.hourly.set(key, {
      ...bucket,
      requests: bucket.requests + 1,
      serverErrors: bucket.serverErrors + error,
    });
    if (at < this.startedAt) return;
    const counts = this.counts.get(host) ?? { requests: 0, serverErrors: 0 };
    this.counts.set(host, { requests: counts.requests + 1, serverErrors: counts.serverErrors + error });
  }
}
