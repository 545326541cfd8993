import { randomBytes } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { LoggerService } from '@nestjs/common';
import { WebSocket } from 'ws';
import { signChallenge } from './authentication';
import { icpCommands, IcpCommand, IcpData, IcpResult } from './commands';
import {
  asFrame,
  AUTHENTICATE,
  authenticatedData,
  CANCEL,
  CHALLENGE,
  challengeData,
  ERROR,
  errorData,
  IcpCloseCode,
  IcpError,
  IcpErrorCode,
  MAX_FRAME_BYTES,
  PROGRESS,
  progressData,
  REPLY,
} from './frames';
import { Heartbeat } from './heartbeat';
import { Identity } from './identity';
import { tlsOptions } from './tls';
import { certificateProblem, peerCertificate } from './trust';

export interface IcpClientOptions {
  url: string;
  identity: Identity;
  /** The pinned public-key fingerprint of the server (from the Manager's node registry). */
  serverFingerprint: string;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  backoff?: { initialMs: number; maxMs: number };
  /** How often the client pings the server; a server that misses a ping is redialled. */
  heartbeatMs?: number;
  /** Called each time a session is authenticated: first connect and every reconnect. */
  onSession?: () => void;
}

export interface RequestOptions {
  /** `Infinity` for a request that may run as long as it is wanted (following a log): cancel it instead. */
  timeoutMs: number;
  onProgress?: (line: string) => void;
  /** Aborting it cancels the request: it fails with `cancelled` at once, and the server is told to stop it. */
  signal?: AbortSignal;
}

interface Pending {
  command: IcpCommand;
  /** The request frame, sent again with the same id on every new session until answered. */
  text: string;
  resolve(result: unknown): void;
  reject(error: IcpError): void;
  onProgress?: (line: string) => void;
  /** Clears the timer and stops listening to the signal: the request is answered, failed or cancelled. */
  settle(): void;
}

/**
 * The Manager's end of ICP: dials a Worker or Guardian over mutual TLS, checks the server's key against the pin
 * before the session opens, proves its own key by signing the server's challenge, and redials with exponential
 * backoff and jitter whenever the session ends. Requests in flight when a session ends are sent again, with the
 * same id, on the next one: the server runs each id at most once and answers a repeat with the outcome.
 */
export class IcpClient {
  private ws: WebSocket | null = null;
  private authenticated = false;
  /** Since when no session is open: the client's start, or the end of its last session. */
  private lostAt: Date | null = new Date();
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();
  /** Ids cancelled while no session was open: the server is told on the next one. */
  private readonly unsentCancels = new Set<string>();
  /**
   * Request ids are this client's random prefix and a counter: unique across Manager restarts (a node keeps
   * recent ids to answer retries, so an id must never come back for another request), and cheap to make.
   */
  private readonly idPrefix = `${randomBytes(9).toString('base64url')}-`;
  private requests = 0;

  constructor(private readonly options: IcpClientOptions) {}

  /** Whether a session is open and authenticated. */
  get connected(): boolean {
    return this.authenticated;
  }

  /** Since when no session has been open (since the client was made, if none ever was); null while one is. */
  get unreachableSince(): Date | null {
    return this.lostAt;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'client stopping');
    for (const pending of this.pending.values()) {
      pending.settle();
      pending.reject(new IcpError(IcpErrorCode.ConnectionLost, 'client stopped'));
    }
    this.pending.clear();
    this.unsentCancels.clear();
  }

  /**
   * Sends a request and resolves with its validated reply. Fails at once with `unavailable` when no session is
   * open; survives the session ending meanwhile (sent again on the next one); fails with `timeout` after
   * `timeoutMs` in all. Aborting `options.signal` fails it with `cancelled` and sends a `cancel` frame (on the
   * next session if none is open); it is never sent again.
   */
  request<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    options: RequestOptions,
  ): Promise<IcpResult<C>> {
    const ws = this.ws;
    if (!ws || !this.authenticated) {
      return Promise.reject(new IcpError(IcpErrorCode.Unavailable, `not connected to ${this.options.url}`));
    }
    if (options.signal?.aborted) {
      return Promise.reject(
        new IcpError(IcpErrorCode.Cancelled, `"${command}" was cancelled before it was sent`),
      );
    }
    const id = `${this.idPrefix}${++this.requests}`;
    const text = JSON.stringify({ id, command, data });
    return new Promise<IcpResult<C>>((resolve, reject) => {
      const fail = (error: IcpError) => {
        this.pending.get(id)?.settle();
        this.pending.delete(id);
        reject(error);
      };
      const timer = Number.isFinite(options.timeoutMs)
        ? setTimeout(
            () =>
              fail(
                new IcpError(
                  IcpErrorCode.Timeout,
                  `"${command}" got no answer within ${options.timeoutMs} ms`,
                ),
              ),
            options.timeoutMs,
          )
        : undefined;
      const cancel = () => {
        fail(new IcpError(IcpErrorCode.Cancelled, `"${command}" was cancelled`));
        this.sendCancel(id);
      };
      options.signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        command,
        text,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress: options.onProgress,
        settle: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', cancel);
        },
      });
      ws.send(text);
    });
  }

  private sendCancel(id: string): void {
    if (this.ws && this.authenticated) this.ws.send(JSON.stringify({ id, command: CANCEL, data: {} }));
    else this.unsentCancels.add(id);
  }

  private dial(): void {
    const { url, identity, serverFingerprint, logger } = this.options;
    const ws = new WebSocket(url, {
      ...tlsOptions(identity),
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    let tls: TLSSocket | null = null;
    ws.on('upgrade', (response: IncomingMessage) => {
      tls = response.socket as TLSSocket;
      const certificate = peerCertificate(tls);
      const problem =
        certificate?.fingerprint !== serverFingerprint
          ? `presented key ${certificate?.fingerprint ?? 'none'}, not the pinned one`
          : certificateProblem(certificate.x509);
      if (problem) {
        logger.error(`ICP server at ${url} refused: ${problem}`);
        ws.terminate();
      }
    });
    ws.on('message', (raw) => {
      if (this.authenticated) this.receive(raw.toString());
      else if (tls) this.answerChallenge(ws, tls, raw.toString());
    });
    ws.on('error', (error) => logger.warn(`ICP connection to ${url}: ${error.message}`));
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      if (this.authenticated) {
        logger.warn(`ICP session to ${url} closed (${code} ${reason.toString()})`);
        this.lostAt = new Date();
      }
      this.authenticated = false;
      if (code === IcpCloseCode.Replaced) {
        // Another process holding this Manager's key took the session: do not fight it for the session.
        logger.error(`ICP session to ${url} was taken over by another Manager with the same key`);
      }
      this.scheduleRedial(code === IcpCloseCode.Replaced);
    });
  }

  /** The session's first frames: the server's challenge, then its answer to our signature. */
  private answerChallenge(ws: WebSocket, tls: TLSSocket, text: string): void {
    const parsed = parse(text);
    const challenge = parsed?.command === CHALLENGE ? challengeData.safeParse(parsed.data) : null;
    if (challenge?.success) {
      const signature = signChallenge(this.options.identity.key, tls, challenge.data.nonce);
      ws.send(
        JSON.stringify({ id: `${this.idPrefix}authenticate`, command: AUTHENTICATE, data: { signature } }),
      );
      return;
    }
    const accepted = parsed?.command === REPLY ? authenticatedData.safeParse(parsed.data) : null;
    if (!accepted?.success) {
      this.options.logger.error(
        `ICP server at ${this.options.url} refused the session: ${text.slice(0, 200)}`,
      );
      ws.close();
      return;
    }
    this.authenticated = true;
    this.lostAt = null;
    this.attempt = 0;
    new Heartbeat(ws, this.options.heartbeatMs ?? accepted.data.heartbeatMs, () =>
      this.options.logger.warn(`ICP server at ${this.options.url} missed a heartbeat: redialling`),
    );
    this.options.logger.log(`ICP session to ${this.options.url} open`);
    for (const id of this.unsentCancels) ws.send(JSON.stringify({ id, command: CANCEL, data: {} }));
    this.unsentCancels.clear();
    for (const pending of this.pending.values()) ws.send(pending.text);
    this.options.onSession?.();
  }

  private scheduleRedial(slowly: boolean): void {
    if (this.stopped) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 200, maxMs: 15_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.attempt++);
    // Full jitter: spreads the redials of many Managers (or restarts) instead of having them arrive in step.
    this.retryTimer = setTimeout(() => this.dial(), slowly ? maxMs : Math.random() * ceiling);
  }

  private receive(text: string): void {
    const parsed = parse(text);
    if (!parsed) {
      this.options.logger.warn(`ICP server at ${this.options.url} sent a malformed frame`);
      return;
    }
    const { id, command, data } = parsed;
    const pending = id === null ? undefined : this.pending.get(id);
    if (!pending) {
      // A cancelled request's late answer is expected; other stray errors are worth a look.
      const cancelled = (data as { code?: unknown } | undefined)?.code === IcpErrorCode.Cancelled;
      if (command === ERROR && !cancelled)
        this.options.logger.warn(`ICP server reported: ${JSON.stringify(data)}`);
      return;
    }
    if (command === PROGRESS) {
      const progress = progressData.safeParse(data);
      if (progress.success) pending.onProgress?.(progress.data.line);
      return;
    }
    this.pending.delete(id as string);
    pending.settle();
    if (command === REPLY) {
      const result = icpCommands[pending.command].result.safeParse(data);
      if (result.success) pending.resolve(result.data);
      else
        pending.reject(
          new IcpError(IcpErrorCode.MalformedFrame, `reply to "${pending.command}" breaks its schema`),
        );
    } else {
      const error = errorData.safeParse(data);
      pending.reject(
        error.success
          ? new IcpError(error.data.code, error.data.message)
          : new IcpError(IcpErrorCode.MalformedFrame, `unexpected frame "${command}"`),
      );
    }
  }
}

function parse(text: string) {
  try {
    return asFrame(JSON.parse(text));
  } catch {
    return null;
  }
}
