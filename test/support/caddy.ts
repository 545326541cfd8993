import { ChildProcess, spawn } from 'node:child_process';
import type { IncomingHttpHeaders } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';

export interface ProxyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real Caddy (Debian's `caddy`) for one test, as the proxy's systemd unit runs it: started with nothing but its
 * admin API on a unix socket, everything else loaded by the Guardian. Its HTTP and HTTPS ports are free ports on
 * this machine; its data (local CA, certificates) and access log are in a directory of its own.
 */
export class CaddyUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly httpPort: number,
    readonly httpsPort: number,
  ) {}

  /** The Caddy process's id (a benchmark reads its CPU time). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get adminSocket(): string {
    return path.join(this.dir, 'admin.sock');
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  get accessLog(): string {
    return path.join(this.dir, 'access.log');
  }

  /** The root certificate of Caddy's local CA (`tls internal`), once Caddy has made it. */
  rootCertificate(): Promise<Buffer> {
    return fs.readFile(path.join(this.dataDir, 'pki', 'authorities', 'local', 'root.crt'));
  }

  /**
   * A GET of `host`'s `path` through this Caddy, as a browser that resolves `host` to 127.0.0.1 and trusts Caddy's
   * local CA would make it (over HTTPS unless `plain`). The TLS handshake checks the certificate against `host`.
   */
  async get(host: string, requestPath = '/', plain = false): Promise<ProxyAnswer> {
    const ca = plain ? undefined : await this.rootCertificate();
    return new Promise((resolve, reject) => {
      const options = {
        host: '127.0.0.1',
        path: requestPath,
        headers: { host },
        agent: false,
        timeout: 30_000,
      };
      const answered = (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      };
      const req = plain
        ? http.request({ ...options, port: this.httpPort }, answered)
        : https.request({ ...options, port: this.httpsPort, servername: host, ca }, answered);
      req.on('timeout', () => req.destroy(new Error(`no answer from ${host}${requestPath} in time`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** The settings a Guardian needs to hold this Caddy's routes. */
  guardianEnv(): Record<string, string> {
    return {
      PROXY_ADMIN_SOCKET: this.adminSocket,
      PROXY_HTTP_PORT: String(this.httpPort),
      PROXY_HTTPS_PORT: String(this.httpsPort),
      PROXY_DATA_DIR: this.dataDir,
      PROXY_ACCESS_LOG: this.accessLog,
      PROXY_TLS_LOG: path.join(this.dir, 'tls.log'),
      PROXY_TLS: 'internal',
    };
  }

  /** `binary`: Debian's caddy, or another build (the one with a DNS provider, acme-dns.ts). */
  static async start(
    home?: string,
    ports?: { httpPort: number; httpsPort: number },
    binary = 'caddy',
  ): Promise<CaddyUnderTest> {
    await requireConnectionMigration();
    home ??= await fs.mkdtemp(path.join(os.tmpdir(), 'td-caddy-'));
    const { httpPort, httpsPort } = ports ?? { httpPort: await freePort(), httpsPort: await freePort() };
    const socket = path.join(home, 'admin.sock');
    await fs.rm(socket, { force: true });
    await fs.writeFile(
      path.join(home, 'bootstrap.json'),
      JSON.stringify({ admin: { listen: `unix/${socket}` } }),
    );
    const log = await fs.open(path.join(home, 'caddy.log'), 'a');
    const child = spawn(binary, ['run', '--config', path.join(home, 'bootstrap.json')], {
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
      stdio: ['ignore', log.fd, log.fd],
    });
    await log.close();
    const caddy = new CaddyUnderTest(child, home, httpPort, httpsPort);
    const deadline = Date.now() + 10_000;
    while (
      !(await fs.stat(socket).then(
        () => true,
        () => false,
      ))
    ) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`caddy did not start: ${await fs.readFile(path.join(home, 'caddy.log'), 'utf8')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return caddy;
  }

  /** Stops Caddy; its directory stays for `restart` or until `remove`. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** A new Caddy process on the same directory and ports, with nothing loaded (as after a reboot without `--resume`). */
  async restart(): Promise<CaddyUnderTest> {
    await this.stop();
    return CaddyUnderTest.start(this.dir, this);
  }

  async remove(): Promise<void> {
    await this.stop();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The proxy's unit sets `net.ipv4.tcp_migrate_req=1` before Caddy starts, and so does the tests' provisioning
 * (`ensure_proxy_sysctl`): without it a route switch resets a connection now and then, and the tests of
 * switches would fail on that rather than say why.
 */
async function requireConnectionMigration(): Promise<void> {
  const setting = (
    await fs.readFile('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8').catch(() => 'absent')
  ).trim();
  if (setting !== '1')
    throw new Error(
      `net.ipv4.tcp_migrate_req is ${setting}, not 1: run scripts/test.sh, whose provisioning sets it as the proxy's unit does`,
    );
}
