import { X509Certificate } from 'node:crypto';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { LoggerService } from '@nestjs/common';
import { WebSocket, WebSocketServer } from 'ws';
import { newNonce, verifyChallenge } from './authentication';
import { CommandDispatcher, errorOf, IcpHandlers, parseFrame, send } from './command-dispatcher';
import {
  AUTHENTICATE,
  authenticateData,
  CHALLENGE,
  ERROR,
  IcpCloseCode,
  IcpError,
  IcpErrorCode,
  MAX_FRAME_BYTES,
  REPLY,
} from './frames';
import { answersPing, Heartbeat } from './heartbeat';
import { Identity } from './identity';
import { tlsOptions } from './tls';
import { certificateProblem, peerCertificate } from './trust';

export interface IcpServerOptions {
  host: string;
  port: number;
  identity: Identity;
  /** Read on every connection attempt, so a changed trust file takes effect without a restart. */
  trustedFingerprints: () => Promise<string[]>;
  handlers: IcpHandlers;
  logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  /** Ping interval of the session; a session that misses a ping is dropped. */
  heartbeatMs?: number;
  /** How long a new connection has to authenticate. */
  authenticationTimeoutMs?: number;
  /** How long a running command may go without a connection listening before it is cancelled (60 s). */
  abandonAfterMs?: number;
}

/** A connection that passed the certificate pin, and once authenticated, perhaps the session. */
interface Peer {
  ws: WebSocket;
  tls: TLSSocket;
  x509: X509Certificate;
  fingerprint: string;
  address: string;
}

/**
 * The Worker's and Guardian's end of ICP: a WSS server over mutual TLS that only a pinned Manager may reach,
 * which must then prove its key by signing a fresh nonce bound to the TLS session, and which serves one session
 * at a time (see docs/icp.md for who may replace whom).
 */
export class IcpServer {
  private readonly https: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly dispatcher: CommandDispatcher;
  private readonly heartbeatMs: number;
  private session: Peer | null = null;
  /** Sessions are admitted one after the other, so two new ones cannot both see the place free. */
  private admitting: Promise<void> = Promise.resolve();

  constructor(private readonly options: IcpServerOptions) {
    this.dispatcher = new CommandDispatcher(options.handlers, options);
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.https = createServer({ ...tlsOptions(options.identity), requestCert: true });
    this.https.on('request', (_req, res) => res.writeHead(426, { Connection: 'close' }).end('use WebSocket'));
    this.https.on('upgrade', (req, socket, head) => {
      const tls = req.socket as TLSSocket;
      this.pinned(tls).then(
        (certificate) => {
          if (!certificate) return refuse(socket, 403, 'Forbidden');
          this.wss.handleUpgrade(req, socket, head, (ws) =>
            this.challenge({ ws, tls, ...certificate, address: `${tls.remoteAddress}` }),
          );
        },
        (error: Error) => {
          this.options.logger.error(`ICP admission failed: ${error.message}`);
          refuse(socket, 500, 'Internal Server Error');
        },
      );
    });
  }

  /**
   * Presents `identity` to every connection from now on (after a key rotation); the open session stays on the
   * TLS session it has. The Manager, told the new fingerprint, redials and replaces it.
   */
  useIdentity(identity: Identity): void {
    this.https.setSecureContext(tlsOptions(identity));
  }

  /** Whether an authenticated Manager currently holds the session. */
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
    for (const ws of this.wss.clients) ws.close(IcpCloseCode.GoingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
  }

  /** The client's certificate if its key is pinned and it is within its validity period; else null. */
  private async pinned(tls: TLSSocket) {
    const certificate = peerCertificate(tls);
    const refused = (reason: string) => {
      this.options.logger.warn(`ICP connection from ${tls.remoteAddress} refused: ${reason}`);
      return null;
    };
    if (!certificate) return refused('no client certificate');
    if (!(await this.options.trustedFingerprints()).includes(certificate.fingerprint)) {
      return refused(`key ${certificate.fingerprint} is not pinned`);
    }
    const problem = certificateProblem(certificate.x509);
    return problem ? refused(problem) : certificate;
  }

  /** Sends the nonce; the first frame back must be its signature, else the connection is closed. */
  private challenge(peer: Peer): void {
    const { ws } = peer;
    const nonce = newNonce();
    const timeoutMs = this.options.authenticationTimeoutMs ?? 5000;
    const timer = setTimeout(
      () => ws.close(IcpCloseCode.AuthenticationTimeout, `authenticate within ${timeoutMs} ms`),
      timeoutMs,
    );
    ws.on('error', (error) => this.options.logger.warn(`ICP connection error: ${error.message}`));
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (raw, isBinary) => {
      clearTimeout(timer);
      const request = parseFrame(raw, isBinary);
      const answer = request instanceof IcpError ? null : authenticateData.safeParse(request.data);
      const good =
        !(request instanceof IcpError) &&
        request.command === AUTHENTICATE &&
        answer?.success &&
        verifyChallenge(peer.x509.publicKey, peer.tls, nonce, answer.data.signature);
      if (!good) {
        this.options.logger.warn(`ICP connection from ${peer.address} refused: authentication failed`);
        const id = request instanceof IcpError ? null : request.id;
        const error = new IcpError(IcpErrorCode.Unauthenticated, 'authentication failed');
        send(ws, { id, command: ERROR, data: errorOf(error) });
        ws.close(IcpCloseCode.Unauthenticated, 'authentication failed');
        return;
      }
      const admitted = this.admitting.then(() => this.admit(peer, request.id as string));
      this.admitting = admitted.catch((error: Error) =>
        this.options.logger.error(`ICP session admission failed: ${error.message}`),
      );
    });
    send(ws, { id: null, command: CHALLENGE, data: { nonce } });
  }

  /**
   * Makes an authenticated connection the session. The current session gives way if it belongs to the same
   * peer (who started over) or does not answer a ping (dead, half-open); otherwise the newcomer is refused.
   */
  private async admit(peer: Peer, requestId: string): Promise<void> {
    const current = this.session;
    if (current && current.ws.readyState === WebSocket.OPEN) {
      const samePeer = current.fingerprint === peer.fingerprint;
      if (!samePeer && (await answersPing(current.ws, Math.min(this.heartbeatMs, 5000)))) {
        peer.ws.close(IcpCloseCode.Busy, 'another session is active');
        return;
      }
      this.options.logger.warn(
        samePeer
          ? `ICP session replaced by a new one of the same Manager from ${peer.address}`
          : `ICP session did not answer a ping: replaced by ${peer.address}`,
      );
      if (samePeer) current.ws.close(IcpCloseCode.Replaced, 'replaced by a newer session');
      else current.ws.terminate();
    }
    const { ws } = peer;
    if (ws.readyState !== WebSocket.OPEN) return;
    this.session = peer;
    this.options.logger.log(`ICP session opened from ${peer.address}`);
    ws.on('close', () => {
      if (this.session === peer) this.session = null;
      this.options.logger.log(`ICP session from ${peer.address} closed`);
    });
    new Heartbeat(ws, this.heartbeatMs, () =>
      this.options.logger.warn(`ICP session from ${peer.address} missed a heartbeat: dropped`),
    );
    ws.on('message', (raw, isBinary) => void this.dispatcher.receive(ws, raw, isBinary));
    send(ws, { id: requestId, command: REPLY, data: { heartbeatMs: this.heartbeatMs } });
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
