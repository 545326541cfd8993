import assert from 'node:assert/strict';
import * as https from 'node:https';

/** One request of a load loop: what it answered, or why it failed. */
export interface LoadAnswer {
  loop: number;
  /** Milliseconds from the request to the end of its answer. */
  ms: number;
  status?: number;
  body?: string;
  error?: string;
}

export interface LoadTarget {
  /** The host name asked for (SNI and Host), which resolves to 127.0.0.1 (`curl --resolve` does the same). */
  host: string;
  port: number;
  /** The CA the certificate must chain to. */
  ca: Buffer;
}

/**
 * `loops` clients requesting `host`'s `/` over HTTPS one after another, each on a fresh connection (TLS handshake
 * and all, as `curl` in a loop does), until stopped or `maxRequests` is reached: bounded in count.
 */
export class HttpsLoad {
  readonly answers: LoadAnswer[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly target: LoadTarget,
    loops: number,
    private readonly maxRequests = 20_000,
  ) {
    this.done = Promise.all(Array.from({ length: loops }, (_, loop) => this.loop(loop))).then(
      () => undefined,
    );
  }

  /** Resolves once at least `count` requests have been answered or failed. */
  async reached(count: number): Promise<void> {
    while (this.answers.length < count && this.running)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async stop(): Promise<LoadAnswer[]> {
    this.running = false;
    await this.done;
    return this.answers;
  }

  private async loop(loop: number): Promise<void> {
    while (this.running && this.answers.length < this.maxRequests) {
      const started = performance.now();
      const answer = await this.request().then(
        ({ status, body }) => ({ status, body }),
        (error: Error) => ({ error: error.message }),
      );
      this.answers.push({ loop, ms: performance.now() - started, ...answer });
    }
  }

  private request(): Promise<{ status: number; body: string }> {
    const { host, port, ca } = this.target;
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          servername: host,
          headers: { host },
          ca,
          agent: false,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', reject);
      req.end();
    });
  }
}

/** The answers that failed: an error, or a status other than 200. */
export function failed(answers: LoadAnswer[]): LoadAnswer[] {
  return answers.filter(({ error, status }) => error !== undefined || status !== 200);
}

/** Fails the test unless every answer was a 200, showing the first failures and how many there were. */
export function assertNoneFailed(answers: LoadAnswer[]): void {
  const failures = failed(answers);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${answers.length} failed`);
}

/**
 * Whether each loop saw the versions in `order` only forwards (`v1…v1 v2…v2`, never v1 after v2): the switch is
 * atomic for every client. The versions each loop saw, in order, for the message otherwise.
 */
export function versionsInOrder(answers: LoadAnswer[], order: string[]): { ok: boolean; seen: string[][] } {
  const loops = new Map<number, string[]>();
  for (const { loop, body } of answers) {
    if (body === undefined) continue;
    const seen = loops.get(loop) ?? [];
    if (seen[seen.length - 1] !== body) seen.push(body);
    loops.set(loop, seen);
  }
  const seen = [...loops.values()];
  const ok = seen.every((versions) =>
    versions.every((version, i) => i === 0 || order.indexOf(version) > order.indexOf(versions[i - 1])),
  );
  return { ok, seen };
}
