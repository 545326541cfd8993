import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the receiver took: its path, headers, body, and whether it was answered 2xx. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  accepted: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that takes notifications as Discord, Slack or any webhook receiver would, and
 * refuses the next `failing` requests first: a receiver that is down for a while (503), or that answers
 * `refusal` (404: a deleted webhook; 429 with `retryAfter` seconds: too many requests).
 */
export class WebhookReceiver {
  readonly received: (Received & { at: number })[] = [];
  failing = 0;
  refusal = 503;
  retryAfter: number | null = null;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const accepted = receiver.failing <= 0;
        if (!accepted) receiver.failing--;
        receiver.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
          accepted,
          at: Date.now(),
        });
        const headers = {
          'content-type': 'text/plain',
          ...(receiver.retryAfter === null ? {} : { 'retry-after': String(receiver.retryAfter) }),
        };
        if (accepted) res.writeHead(204, headers).end();
        else res.writeHead(receiver.refusal, headers).end('down for maintenance');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** What was accepted on `path`, each body parsed. */
  accepted(path: string): (Received & { json: Record<string, unknown> })[] {
    return this.received
      .filter((request) => request.accepted && request.path === path)
      .map((request) => ({ ...request, json: JSON.parse(request.body) }));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks a request's Standard Webhooks signature as a receiver would, with the channel's `whsec_` secret. */
export function verifiesStandardWebhook({ headers, body }: Received, secret: string): boolean {
  const [id, timestamp, signature] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map(
    (name) => headers[name] as string,
  );
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return (
    fresh &&
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}
