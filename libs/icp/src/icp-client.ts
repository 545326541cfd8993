import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { LoggerService } from '@nestjs/common';
import { WebSocket } from 'ws';
import { icpCommands, IcpCommand, IcpData, IcpResult } from './commands';
import {
  ERROR,
  errorData,
  frame,
  IcpError,
  IcpErrorCode,
  MAX_FRAME_BYTES,
  PROGRESS,
  progressData,
  REPLY,
} from './frames';
import { Identity } from './identity';
import { peerFingerprint, tlsOptions } from './tls';

export interface IcpClientOptions {
  url: string;
  identity: Identity;
  /** The pinned public-key fingerprint of the server (from the Manager's node registry). */
  serverFingerprint: string;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  backoff?: { initialMs: number; maxMs: number };
}

export interface RequestOptions {
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

interface Pending {
  command: IcpCommand;
  resolve(result: unknown): void;
  reject(error: IcpError): void;
  onProgress?: (line: string) => void;
  timer: NodeJS.Timeout;
}

/**
 * The Manager's end of ICP: dials a Worker or Guardian over mutual TLS, checks the server's key against the pin
 * before the session opens, and redials with exponential backoff and jitter whenever the session ends.
 */
export class IcpClient {
  private ws: WebSocket | null = null;
  private open = false;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: IcpClientOptions) {}

  get connected(): boolean {
    return this.open;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'client stopping');
    this.failPending(new IcpError(IcpErrorCode.ConnectionLost, 'client stopped'));
  }

  request<C extends IcpCommand>(
    command: C,
    data: IcpData<C>,
    options: RequestOptions,
  ): Promise<IcpResult<C>> {
    const ws = this.ws;
    if (!ws || !this.open) {
      return Promise.reject(new IcpError(IcpErrorCode.Unavailable, `not connected to ${this.options.url}`));
    }
    const id = randomUUID();
    return new Promise<IcpResult<C>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new IcpError(IcpErrorCode.Timeout, `"${command}" got no answer within ${options.timeoutMs} ms`),
        );
      }, options.timeoutMs);
      this.pending.set(id, {
        command,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress: options.onProgress,
        timer,
      });
      ws.send(JSON.stringify({ id, command, data }));
    });
  }

  private dial(): void {
    const { url, identity, serverFingerprint, logger } = this.options;
    const ws = new WebSocket(url, {
      ...tlsOptions(identity),
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    ws.on('upgrade', (response: IncomingMessage) => {
      const presented = peerFingerprint(response.socket as TLSSocket);
      if (presented !== serverFingerprint) {
        logger.error(
          `ICP server at ${url} presented key ${presented ?? 'none'}, expected the pinned one: refused`,
        );
        ws.terminate();
      }
    });
    ws.on('open', () => {
      this.open = true;
      this.attempt = 0;
      logger.log(`ICP session to ${url} open`);
    });
    ws.on('message', (raw) => this.receive(raw.toString()));
    ws.on('error', (error) => logger.warn(`ICP connection to ${url}: ${error.message}`));
    ws.on('close', (code, reason) => {
      if (this.open) logger.warn(`ICP session to ${url} closed (${code} ${reason.toString()})`);
      this.open = false;
      this.failPending(new IcpError(IcpErrorCode.ConnectionLost, `connection to ${url} lost`));
      this.scheduleRedial();
    });
  }

  private scheduleRedial(): void {
    if (this.stopped) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 200, maxMs: 15_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.attempt++);
    // Full jitter: spreads the redials of many Managers (or restarts) instead of having them arrive in step.
    this.retryTimer = setTimeout(() => this.dial(), Math.random() * ceiling);
  }

  private receive(text: string): void {
    let parsed;
    try {
      parsed = frame.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      this.options.logger.warn(`ICP server at ${this.options.url} sent a malformed frame`);
      return;
    }
    const { id, command, data } = parsed.data;
    const pending = id === null ? undefined : this.pending.get(id);
    if (!pending) {
      if (command === ERROR) this.options.logger.warn(`ICP server reported: ${JSON.stringify(data)}`);
      return;
    }
    if (command === PROGRESS) {
      const progress = progressData.safeParse(data);
      if (progress.success) pending.onProgress?.(progress.data.line);
      return;
    }
    this.pending.delete(id as string);
    clearTimeout(pending.timer);
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

  private failPending(error: IcpError): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}
