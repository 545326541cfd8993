import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { signChallenge } from '../../libs/icp/src/authentication';
import { Frame } from '../../libs/icp/src/frames';
import { IcpHandlers } from '../../libs/icp/src/command-dispatcher';
import type { NodeCapacity } from '../../libs/icp/src/capacity-schemas';
import type { FirewallReport, FirewallState } from '../../libs/icp/src/firewall-schemas';
import type { ProxyReport, ProxyState } from '../../libs/icp/src/proxy-schemas';
import { IcpClient } from '../../libs/icp/src/icp-client';
import { IcpServer, IcpServerOptions } from '../../libs/icp/src/icp-server';
import { Identity, loadOrCreateIdentity } from '../../libs/icp/src/identity';

const run = promisify(execFile);

/** A node that serves only `health`, answering as a Worker. */
export const healthOnly: IcpHandlers = { health: async () => ({ service: 'worker', version: 'test' }) };

const GIB = 2 ** 30;
/**
 * A stand-in Worker's answer to `capacity`: a small idle host, so placement takes it, with its own Docker engine
 * and LXD.
 */
export const standInCapacity = (dockerEngine = 'stand-in', containerHost = dockerEngine): NodeCapacity => ({
  cpus: 2,
  load1: 0,
  memory: { totalBytes: 4 * GIB, availableBytes: 3 * GIB },
  repositories: { totalBytes: 20 * GIB, freeBytes: 10 * GIB },
  storagePool: { name: 'default', totalBytes: 20 * GIB, freeBytes: 10 * GIB },
  projects: 0,
  projectContainers: 0,
  memberContainers: 0,
  containerHost,
  dockerEngine,
});

/** A stand-in Guardian's answers: it takes whatever state it is sent, and reports no drift. */
export const standInGuardian = {
  firewall: ({ open, forwards }: FirewallState): FirewallReport => ({
    open,
    forwards,
    drift: [],
    dockerUser: null,
  }),
  routes: ({ routes }: ProxyState): ProxyReport => ({
    routes,
    drift: [],
    certificates: [],
    requests: [],
    requestsSince: new Date().toISOString(),
    hours: [],
  }),
};

export const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A WebSocket to an ICP server driven by hand: every frame it receives, in order, and the TLS session. */
export class RawConnection {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  tls: TLSSocket | null = null;
  /** Close code and reason, once closed. */
  closed: { code: number; reason: string } | null = null;
  /** HTTP status of a refused upgrade. */
  refusedWith: number | null = null;
  private readonly opened: Promise<void>;

  constructor(
    port: number,
    identity: Pick<Identity, 'key' | 'cert'>,
    options: { maxVersion?: 'TLSv1.2' } = {},
  ) {
    this.ws = new WebSocket(`wss://127.0.0.1:${port}`, {
      key: identity.key,
      cert: identity.cert,
      rejectUnauthorized: false,
      ...options,
    });
    this.ws.on('upgrade', (response: IncomingMessage) => (this.tls = response.socket as TLSSocket));
    this.ws.on('message', (raw) => this.frames.push(JSON.parse(raw.toString())));
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('unexpected-response', (_req, res) => {
      this.refusedWith = res.statusCode ?? 0;
      this.ws.terminate();
    });
    this.ws.on('error', () => undefined); // refusals surface as refusedWith or closed
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
  }

  /** Waits for the n-th frame (0-based) to arrive. */
  async frame(n: number): Promise<Frame> {
    await until(() => this.frames.length > n || this.closed !== null);
    if (this.frames.length <= n) throw new Error(`closed (${this.closed?.code}) before frame ${n}`);
    return this.frames[n];
  }

  async challenge(): Promise<string> {
    await this.opened;
    const first = await this.frame(0);
    return (first.data as { nonce: string }).nonce;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Signs the challenge with `key` over this connection's TLS session and waits for the server's answer. */
  async authenticate(key: string): Promise<Frame> {
    const nonce = await this.challenge();
    this.send({
      id: 'auth',
      command: 'authenticate',
      data: { signature: signChallenge(key, this.tls!, nonce) },
    });
    return this.frame(1);
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    await until(() => this.closed !== null || this.refusedWith !== null);
    return this.closed ?? { code: 0, reason: `HTTP ${this.refusedWith}` };
  }
}

/** Identities for a test, in a temporary directory removed by `cleanUp`. */
export class IcpFixture {
  private constructor(readonly dir: string) {}
  private readonly servers: IcpServer[] = [];
  private readonly clients: IcpClient[] = [];
  private readonly connections: RawConnection[] = [];

  static async create(): Promise<IcpFixture> {
    return new IcpFixture(await mkdtemp(join(tmpdir(), 'icp-')));
  }

  identity(name: string): Promise<Identity> {
    return loadOrCreateIdentity(join(this.dir, name), name);
  }

  identities(...names: string[]): Promise<Identity[]> {
    return Promise.all(names.map((name) => this.identity(name)));
  }

  /** A certificate for `identity`'s key that expired before it was issued (openssl -days -1). */
  async expired(identity: Identity): Promise<Identity> {
    const dir = join(this.dir, `expired-${identity.fingerprint.slice(0, 8)}`);
    await run('mkdir', ['-p', dir]);
    const [key, csr, cert] = ['key.pem', 'req.csr', 'cert.pem'].map((file) => join(dir, file));
    await writeFile(key, identity.key, { mode: 0o600 });
    await run('openssl', ['req', '-new', '-key', key, '-out', csr, '-subj', '/CN=expired']);
    await run('openssl', ['x509', '-req', '-in', csr, '-signkey', key, '-days', '-1', '-out', cert]);
    return { ...identity, cert: await readFile(cert, 'utf8') };
  }

  async server(
    identity: Identity,
    trusted: () => string[],
    handlers: IcpHandlers,
    options: Partial<IcpServerOptions> = {},
  ): Promise<{ server: IcpServer; port: number }> {
    const server = new IcpServer({
      host: '127.0.0.1',
      port: 0,
      identity,
      trustedFingerprints: async () => trusted(),
      logger: quiet,
      handlers,
      ...options,
    });
    this.servers.push(server);
    return { server, port: (await server.listen()).port };
  }

  client(port: number, identity: Identity, serverFingerprint: string, heartbeatMs?: number): IcpClient {
    const client = new IcpClient({
      url: `wss://127.0.0.1:${port}`,
      identity,
      serverFingerprint,
      logger: quiet,
      backoff: { initialMs: 20, maxMs: 100 },
      heartbeatMs,
    });
    this.clients.push(client);
    client.start();
    return client;
  }

  raw(port: number, identity: Pick<Identity, 'key' | 'cert'>, options: { maxVersion?: 'TLSv1.2' } = {}) {
    const connection = new RawConnection(port, identity, options);
    this.connections.push(connection);
    return connection;
  }

  async cleanUp(): Promise<void> {
    this.clients.forEach((client) => client.stop());
    this.connections.forEach((connection) => connection.ws.terminate());
    await Promise.all(this.servers.map((server) => server.close()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
