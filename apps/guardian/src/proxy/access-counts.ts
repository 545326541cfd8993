import { open } from 'node:fs/promises';

/** At most this much of the access log is read at a time; the rest is read the next time. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

export interface HostRequests {
  requests: number;
  /** Answers with a 5xx status: the app's, or the proxy's when the app did not answer. */
  serverErrors: number;
}

/**
 * The requests of each host name since the Guardian started, counted from Caddy's access log as it grows: each
 * read takes what was appended since the last one (whole lines only), and a log made since, or rolled over (a new
 * file, or a shorter one), is read from its start.
 */
export class AccessCounts {
  readonly since = new Date().toISOString();
  private readonly counts = new Map<string, HostRequests>();
  private offset = 0;
  private inode: number | null = null;
  /** Whether the log was looked at once: what it held then is an earlier Guardian's, not counted. */
  private started = false;

  constructor(private readonly log: string) {}

  async of(hosts: string[]): Promise<({ host: string } & HostRequests)[]> {
    await this.read().catch(() => undefined);
    return hosts.map((host) => ({ host, ...(this.counts.get(host) ?? { requests: 0, serverErrors: 0 }) }));
  }

  private async read(): Promise<void> {
    const file = await open(this.log, 'r').catch(() => null);
    if (!file) {
      this.started = true;
      return;
    }
    try {
      const { size, ino } = await file.stat();
      if (!this.started) {
        this.started = true;
        [this.inode, this.offset] = [ino, size];
        return;
      }
      // A new log (made since, or rolled over) is read from its start.
      if (ino !== this.inode || size < this.offset) [this.inode, this.offset] = [ino, 0];
      const length = Math.min(size - this.offset, MAX_READ_BYTES);
      if (length <= 0) return;
      const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, this.offset);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const whole = text.lastIndexOf('\n') + 1;
      this.offset += Buffer.byteLength(text.slice(0, whole));
      for (const line of text.slice(0, whole).split('\n')) this.count(line);
    } finally {
      await file.close();
    }
  }

  private count(line: string): void {
    let entry: { request?: { host?: unknown }; status?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    const host =
      typeof entry.request?.host === 'string' ? entry.request.host.replace(/:\d+$/, '').toLowerCase() : null;
    if (!host || typeof entry.status !== 'number') return;
    const counts = this.counts.get(host) ?? { requests: 0, serverErrors: 0 };
    counts.requests += 1;
    if (entry.status >= 500) counts.serverErrors += 1;
    this.counts.set(host, counts);
  }
}
