import { createServer, Server } from 'node:https';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { icpCommands, IcpCommand, IcpData, IcpResult, isIcpCommand } from './commands';
import {
  ERROR,
  Frame,
  frame,
  IcpCloseCode,
  IcpError,
  IcpErrorCode,
  MAX_FRAME_BYTES,
  PROGRESS,
  REPLY,
} from './frames';
import { Identity } from './identity';
import { peerFingerprint, tlsOptions } from './tls';

export interface CommandContext {
  /** Streams a line of progress (build output, export progress) back to the requester. */
  progress(line: string): void;
}

export type IcpHandlers = {
  [C in IcpCommand]?: (data: IcpData<C>, context: CommandContext) => Promise<IcpResult<C>>;
};

export interface IcpServerOptions {
  host: string;
  port: number;
  identity: Identity;
  /** Read on every connection attempt, so a rotated trust file takes effect without a restart. */
  trustedFingerprint: () => Promise<string>;
  handlers: IcpHandlers;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
}

/**
 * The Worker's and Guardian's end of ICP: a WSS server over mutual TLS that only the pinned Manager may reach,
 * serving one session at a time.
 */
export class IcpServer {
  private readonly https: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private session: WebSocket | null = null;

  constructor(private readonly options: IcpServerOptions) {
    this.https = createServer({ ...tlsOptions(options.identity), requestCert: true });
    this.https.on('request', (_req, res) => res.writeHead(426, { Connection: 'close' }).end('use WebSocket'));
    this.https.on('upgrade', (req, socket, head) => {
      this.admit(req.socket as TLSSocket, socket).then(
        (admitted) => admitted && this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws)),
        (error: Error) => {
          this.options.logger.error(`ICP admission failed: ${error.message}`);
          refuse(socket, 500, 'Internal Server Error');
        },
      );
    });
  }

  /** Whether the Manager currently holds the session. */
  get hasSession(): boolean {
    return this.session !== null;
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.https.once('error', reject);
      this.https.listen(this.options.port, this.options.host, () => resolve());
    });
    return this.https.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.session?.close(IcpCloseCode.GoingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
  }

  private async admit(tls: TLSSocket, socket: Duplex): Promise<boolean> {
    const presented = peerFingerprint(tls);
    if (presented === null || presented !== (await this.options.trustedFingerprint())) {
      this.options.logger.warn(`ICP connection from ${tls.remoteAddress} refused: certificate not pinned`);
      refuse(socket, 403, 'Forbidden');
      return false;
    }
    return true;
  }

  private attach(ws: WebSocket): void {
    if (this.session) {
      ws.close(IcpCloseCode.Busy, 'another session is active');
      return;
    }
    this.session = ws;
    this.options.logger.log('ICP session opened');
    ws.on('close', () => {
      if (this.session === ws) this.session = null;
      this.options.logger.log('ICP session closed');
    });
    ws.on('error', (error) => this.options.logger.warn(`ICP session error: ${error.message}`));
    ws.on('message', (raw, isBinary) => void this.receive(ws, raw, isBinary));
  }

  private async receive(ws: WebSocket, raw: RawData, isBinary: boolean): Promise<void> {
    const request = parseFrame(raw, isBinary);
    if (request instanceof IcpError) return send(ws, { id: null, command: ERROR, data: errorOf(request) });
    try {
      const result = await this.dispatch(request, (line) =>
        send(ws, { id: request.id, command: PROGRESS, data: { line } }),
      );
      send(ws, { id: request.id, command: REPLY, data: result });
    } catch (error) {
      const failure =
        error instanceof IcpError
          ? error
          : new IcpError(IcpErrorCode.CommandFailed, error instanceof Error ? error.message : String(error));
      send(ws, { id: request.id, command: ERROR, data: errorOf(failure) });
    }
  }

  private async dispatch(request: Frame, progress: (line: string) => void): Promise<unknown> {
    const { command } = request;
    if (!isIcpCommand(command))
      throw new IcpError(IcpErrorCode.UnknownCommand, `unknown command "${command}"`);
    const handler = this.options.handlers[command] as
      ((data: unknown, context: CommandContext) => Promise<unknown>) | undefined;
    if (!handler) throw new IcpError(IcpErrorCode.UnknownCommand, `this service does not serve "${command}"`);
    const data = icpCommands[command].data.safeParse(request.data);
    if (!data.success) {
      throw new IcpError(
        IcpErrorCode.InvalidData,
        `invalid data for "${command}": ${data.error.issues[0]?.message}`,
      );
    }
    return handler(data.data, { progress });
  }
}

function parseFrame(raw: RawData, isBinary: boolean): Frame | IcpError {
  if (isBinary) return new IcpError(IcpErrorCode.MalformedFrame, 'frames are JSON text');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    return new IcpError(IcpErrorCode.MalformedFrame, 'frame is not valid JSON');
  }
  const parsed = frame.safeParse(json);
  if (!parsed.success || parsed.data.id === null) {
    return new IcpError(
      IcpErrorCode.MalformedFrame,
      'a request is { "id": string, "command": string, "data": any }',
    );
  }
  return parsed.data;
}

function errorOf(error: IcpError) {
  return { code: error.code, message: error.message };
}

function send(ws: WebSocket, message: Frame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
