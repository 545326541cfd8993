import * as http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LxdError } from './lxd-error';
import type { LxdResponse } from './lxd-types';

/** Where Debian's LXD listens; the Worker's LXD_SOCKET setting overrides it. */
export const DEFAULT_LXD_SOCKET = '/var/lib/lxd/unix.socket';

export interface LxdRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From the API root, e.g. `/1.0/instances/web/state`; names in it are already encoded (see instancePath). */
  path: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as raw bytes (application/octet-stream unless headers say otherwise). */
  body?: Buffer | Readable;
  headers?: Record<string, string>;
}

export function instancePath(name: string, ...rest: string[]): string {
  return ['/1.0/instances', name, ...rest]
    .map((part, i) => (i === 0 ? part : encodeURIComponent(part)))
    .join('/');
}

/**
 * HTTP over LXD's unix socket, every request in one LXD project. Knows LXD's response envelope: an `error`
 * response becomes an LxdError.
 */
export class LxdSocket {
  constructor(
    readonly socketPath: string = DEFAULT_LXD_SOCKET,
    readonly project = 'default',
  ) {}

  /** LXD's parsed answer (sync or async). */
  async call<T>(request: LxdRequest): Promise<LxdResponse<T>> {
    const res = await this.open(request);
    const envelope = parseEnvelope<T>(await readAll(res), res);
    if (envelope.type === 'error') throw envelopeError(envelope, res);
    return envelope;
  }

  /** The metadata of a request LXD answers synchronously. */
  async sync<T>(request: LxdRequest): Promise<T> {
    return (await this.call<T>(request)).metadata;
  }

  /**
   * The body of a request LXD answers with raw bytes (file contents, exec logs), at most `maxBytes` of it: what
   * comes from inside a member's container can be any size, and is never read whole into memory.
   */
  async bytes(request: LxdRequest, maxBytes: number): Promise<Buffer> {
    const res = await this.open(request);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.destroy();
        throw new LxdError(`${request.path} holds more than ${maxBytes} bytes`, 413);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** The response of a successful request, its body not yet read (for streams such as a backup export). */
  async open(request: LxdRequest): Promise<http.IncomingMessage> {
    const res = await this.send(request);
    if ((res.statusCode ?? 500) >= 400) {
      const text = await readAll(res);
      let envelope: LxdResponse | undefined;
      try {
        envelope = parseEnvelope(text, res);
      } catch {
        throw new LxdError(text.toString().trim() || `LXD answered ${res.statusCode}`, res.statusCode ?? 500);
      }
      throw envelopeError(envelope, res);
    }
    return res;
  }

  private send(request: LxdRequest): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = { ...request.headers };
    let payload: Buffer | Readable | undefined = request.body;
    if (request.json !== undefined) {
      payload = Buffer.from(JSON.stringify(request.json));
      headers['Content-Type'] = 'application/json';
    } else if (payload) {
      headers['Content-Type'] ??= 'application/octet-stream';
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          path: this.inProject(request.path),
          method: request.method ?? 'GET',
          headers,
        },
        resolve,
      );
      req.on('error', (err) =>
        reject(new LxdError(`LXD is not reachable at ${this.socketPath}: ${err.message}`, 503)),
      );
      if (payload instanceof Readable) pipeline(payload, req).catch(reject);
      else req.end(payload);
    });
  }

  private inProject(path: string): string {
    if (this.project === 'default') return path;
    return `${path}${path.includes('?') ? '&' : '?'}project=${encodeURIComponent(this.project)}`;
  }
}

async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseEnvelope<T>(text: Buffer, res: http.IncomingMessage): LxdResponse<T> {
  try {
    return JSON.parse(text.toString()) as LxdResponse<T>;
  } catch {
    throw new LxdError(`LXD answered ${res.statusCode} with something that is not JSON`, 502);
  }
}

function envelopeError(envelope: LxdResponse, res: http.IncomingMessage): LxdError {
  return new LxdError(
    envelope.error || `LXD answered ${res.statusCode}`,
    envelope.error_code || res.statusCode || 500,
  );
}
