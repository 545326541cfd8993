import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';

/**
 * What a test of wildcard certificates over ACME's DNS-01 runs, built by the tests' provisioning
 * (`ensure_caddy_dns` in scripts/lib.sh) into the directory TEST_CADDY_DNS names: a Caddy with the rfc2136 DNS
 * provider (tools/caddy-dns), the DNS stand-in, and pebble, Let's Encrypt's ACME test CA, with its test certificates.
 */
export function caddyDnsTools() {
  const dir = process.env.TEST_CADDY_DNS;
  if (!dir) throw new Error('TEST_CADDY_DNS is not set: run the tests through `npm test` (scripts/test.sh)');
  return {
    caddy: path.join(dir, 'caddy'),
    dnsStandIn: path.join(dir, 'dns-standin'),
    pebble: path.join(dir, 'pebble'),
    pebbleCertificate: path.join(dir, 'pebble-cert.pem'),
    pebbleKey: path.join(dir, 'pebble-key.pem'),
    /** The root pebble's own HTTPS certificate chains to (not the one it issues from). */
    pebbleCa: path.join(dir, 'pebble-ca.pem'),
  };
}

/** Starts `file` with `args`, resolving once a line of its output matches `ready`; its output goes to `log`. */
async function started(
  file: string,
  args: string[],
  log: string,
  ready: RegExp,
  env = {},
): Promise<ChildProcess> {
  const out = await fs.open(log, 'a');
  const child = spawn(file, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in 20 s:\n${seen}`)), 20_000);
    const read = (chunk: Buffer) => {
      void out.write(chunk);
      seen += chunk.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${seen}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The DNS stand-in (tools/caddy-dns/dns-standin), the operator's DNS server in these tests: authoritative for
 * `zone` on 127.0.0.1, taking RFC 2136 updates signed with a TSIG key of this run's own.
 */
export class DnsStandIn {
  readonly keyName = 'acme-update';
  readonly key = randomBytes(32).toString('base64');

  private constructor(
    readonly address: string,
    private child: ChildProcess | null = null,
  ) {}

  static async start(zone: string, dir: string): Promise<DnsStandIn> {
    const server = new DnsStandIn(`127.0.0.1:${await freePort()}`);
    const args = ['-listen', server.address, '-zone', zone, '-key-name', server.keyName, '-key', server.key];
    server.child = await started(
      caddyDnsTools().dnsStandIn,
      args,
      path.join(dir, 'dns.log'),
      /listening on .*tcp/,
    );
    return server;
  }

  /** The settings of Caddy's rfc2136 provider that updates this server. */
  provider(): Record<string, string> {
    return { name: 'rfc2136', key_name: this.keyName, key: this.key, server: this.address };
  }

  stop(): Promise<void> {
    return this.child ? stopped(this.child) : Promise.resolve();
  }
}

/**
 * Pebble, Let's Encrypt's ACME test CA, on 127.0.0.1: it checks DNS-01 challenges by asking `dnsServer`, and
 * issues from a root of its own, made at each start (`root()`).
 */
export class Pebble {
  private constructor(
    private readonly child: ChildProcess,
    private readonly managementPort: number,
    readonly directory: string,
  ) {}

  static async start(dnsServer: string, dir: string): Promise<Pebble> {
    const tools = caddyDnsTools();
    const [port, management] = [await freePort(), await freePort()];
    const config = path.join(dir, 'pebble.json');
    await fs.writeFile(
      config,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${port}`,
          managementListenAddress: `127.0.0.1:${management}`,
          certificate: tools.pebbleCertificate,
          privateKey: tools.pebbleKey,
          httpPort: await freePort(),
          tlsPort: await freePort(),
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    // No random waits before validating, and no nonce refused on purpose: the test is about the challenge.
    const env = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' };
    const child = await started(
      tools.pebble,
      ['-config', config, '-dnsserver', dnsServer],
      path.join(dir, 'pebble.log'),
      /ACME directory available at/,
      env,
    );
    return new Pebble(child, management, `https://127.0.0.1:${port}/dir`);
  }

  /** The root of the certificates pebble issues (PEM), from its management interface. */
  async root(): Promise<string> {
    const ca = await fs.readFile(caddyDnsTools().pebbleCa);
    return new Promise((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', port: this.managementPort, path: '/roots/0', ca, servername: 'localhost' },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(body));
          },
        )
        .on('error', reject);
    });
  }

  stop(): Promise<void> {
    return stopped(this.child);
  }
}

/** A directory of its own for a DNS-01 test's logs and settings. */
export const acmeDnsDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'td-acme-dns-'));
