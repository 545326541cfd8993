import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Message } from './message-formats';

/** The most a post may take, from its start to the end of the answer: a slow receiver holds no one up. */
const DEADLINE_MS = 10_000;
/** Of a refusal's body, what its reason keeps; the rest is not read. */
const REASON_BYTES = 300;
/** The longest wait a receiver's `Retry-After` may ask for. */
const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * How a post went: delivered (2xx), or why not, in words that never hold the URL (it is the channel's secret);
 * `retryAfterMs` when the receiver said when to come back (429 or 503 with `Retry-After` in seconds).
 */
export type PostResult =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; retryAfterMs?: number };

/**
 * POSTs a message once: no redirects followed (a 3xx is a failure, so a channel cannot bounce the Manager on
 * to another address), ten seconds at most in all, the answer's body read only for a failure's reason and only
 * its first bytes.
 */
export function post(url: URL, message: Message, lookup: RequestOptions['lookup']): Promise<PostResult> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(result);
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...message.headers,
          'content-length': Buffer.byteLength(message.body),
          'user-agent': 'Testausdeploy',
        },
        lookup,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return done({ ok: true, status });
        const retryAfterMs = retryAfter(res.headers['retry-after']);
        const chunks: Buffer[] = [];
        let size = 0;
        const refused = () =>
          done({ ok: false, status, error: reason(status, Buffer.concat(chunks)), retryAfterMs });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= REASON_BYTES) refused();
        });
        res.on('end', refused);
        res.on('error', refused);
      },
    );
    const deadline = setTimeout(
      () => done({ ok: false, status: null, error: `no answer in ${DEADLINE_MS / 1000} s` }),
      DEADLINE_MS,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, status: null, error: `${url.host}: ${error.code ?? ''} ${error.message}`.trim() }),
    );
    req.end(message.body);
  });
}

/** A refusal's reason: its status and the start of what it said, on one line, without control characters. */
function reason(status: number, body: Buffer): string {
  const said = body
    .subarray(0, REASON_BYTES)
    .toString('utf8')
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ')
    .trim();
  return `HTTP ${status}${said ? `: ${said}` : ''}`;
}

function retryAfter(header: string | undefined): number | undefined {
  const seconds = header && /^\d{1,7}$/.test(header.trim()) ? Number(header) : NaN;
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}
