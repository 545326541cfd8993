import { request } from 'node:http';

/** Caddy's answers are small; a bigger one is not Caddy's. */
const MAX_ANSWER = 16 * 1024 * 1024;

/** Caddy's admin API refused a change or could not be reached; the message says which, with Caddy's words. */
export class CaddyAdminError extends Error {
  override readonly name = 'CaddyAdminError';
}

/**
 * Caddy's admin API over its unix socket: the whole configuration read (`GET /config/`) and replaced
 * (`POST /load`). Caddy applies a load whole or not at all, and keeps the old configuration when it refuses one.
 */
export class CaddyAdmin {
  constructor(private readonly socket: string) {}

  async config(): Promise<unknown> {
    const text = await this.call('GET', '/config/');
    return JSON.parse(text) as unknown;
  }

  async load(config: unknown): Promise<void> {
    await this.call('POST', '/load', JSON.stringify(config));
  }

  private call(method: string, path: string, body?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      // Caddy checks the Host header of admin requests; over a unix socket it takes an empty one (and Node
      // would send `localhost` unless told not to).
      const headers: Record<string, string> = { host: '' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = request(
        // A connection of its own for each request: at every load Caddy replaces its admin server, and the old one
        // closes the connections it kept open, so a request on one kept from the load was reset now and then.
        { socketPath: this.socket, method, path, headers, setHost: false, timeout: 60_000, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER) req.destroy(new CaddyAdminError(`Caddy's answer to ${path} is too large`));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) return resolve(text);
            reject(
              new CaddyAdminError(`Caddy refused ${method} ${path} (${res.statusCode}): ${reason(text)}`),
            );
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new CaddyAdminError(`Caddy did not answer ${method} ${path} in time`)),
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error instanceof CaddyAdminError
            ? error
            : new CaddyAdminError(`Caddy's admin API at ${this.socket} is not reachable: ${error.message}`),
        ),
      );
      req.end(body);
    });
  }
}

/** Caddy's `{"error": "..."}`, or the text itself. */
function reason(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the text is the reason
  }
  return text.trim().slice(0, 2_000);
}
