import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { networkInterfaces } from 'node:os';
import { ProxyReport, ProxyState } from '@testausdeploy/icp';
import { KeyedLock } from '@testausdeploy/service';
import { GuardianConfig } from '../config/guardian-config';
import { DesiredStateFile } from '../desired/desired-state-file';
import { DriftLog } from '../desired/drift-log';
import { CaddyAdmin } from './caddy-admin';
import { caddyConfig, configDifferences, ProxySettings, StoredCertificate } from './caddy-config';
import { AccessCounts } from './access-counts';
import { Certificates } from './certificates';
import { checkRoutes, RouteLimits } from './route-policy';

/** The proxy's state lives in one queue: a change and a reconcile never interleave. */
const QUEUE = 'proxy';

/**
 * The reverse proxy's routes as the Manager wants them, held in Caddy as the firewall is held in nftables:
 * every change is checked against the Guardian's limits, loaded whole, read back and compared, then kept on
 * disk. On start and on a timer Caddy's configuration is read back; if someone changed it, the routes are loaded
 * again and the drift kept for the Manager. A host without a proxy holds no routes.
 */
@Injectable()
export class ReverseProxy implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReverseProxy.name);
  private readonly limits: RouteLimits;
  private readonly settings: ProxySettings | null;
  private state: ProxyState = { routes: [] };
  private readonly drift = new DriftLog();
  private readonly lock = new KeyedLock();
  private readonly certificates: Certificates;
  /** The certificates the loaded configuration takes from storage (caddy-config.ts): part of what it must be. */
  private stored: StoredCertificate[] = [];
  private readonly access: AccessCounts;
  private saved: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: GuardianConfig,
    private readonly caddy: CaddyAdmin | null,
    private readonly file: DesiredStateFile<ProxyState>,
  ) {
    this.certificates = new Certificates(
      config.PROXY_DATA_DIR,
      config.PROXY_TLS_LOG,
      config.PROXY_WILDCARD_DOMAINS,
    );
    this.access = new AccessCounts(config.PROXY_ACCESS_LOG);
    this.limits = {
      upstreamSubnets: config.UPSTREAM_SUBNETS,
      localAddresses: localAddresses(),
      enabled: caddy !== null,
    };
    this.settings = config.PROXY_ADMIN_SOCKET
      ? {
          adminSocket: config.PROXY_ADMIN_SOCKET,
          httpPort: config.PROXY_HTTP_PORT,
          httpsPort: config.PROXY_HTTPS_PORT,
          dataDir: config.PROXY_DATA_DIR,
          accessLog: config.PROXY_ACCESS_LOG,
          tlsLog: config.PROXY_TLS_LOG,
          tls: config.PROXY_TLS,
          acmeEmail: config.ACME_EMAIL,
          acmeCa: config.ACME_CA,
          acmeCaRoot: config.ACME_CA_ROOT,
          wildcardDomains: config.PROXY_WILDCARD_DOMAINS,
          dnsProvider: config.PROXY_DNS_PROVIDER,
          dnsResolvers: config.PROXY_DNS_RESOLVERS,
        }
      : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.caddy) return;
    const saved = await this.file.load();
    try {
      if (saved) this.state = checkRoutes(saved, this.limits);
    } catch (error) {
      this.logger.error(`the saved routes no longer fit the limits: ${(error as Error).message}`);
    }
    // Requests are counted from here on (what the access log holds already is an earlier Guardian's, but for the
    // hours it counts).
    await this.access.of(owners(this.state));
    // Loaded whole on start: Caddy without our routes here is a reboot or an upgrade, not drift. Caddy may not
    // be up yet; the timer tries again.
    await this.lock
      .run(QUEUE, () => this.write(this.state))
      .catch((error: Error) => this.logger.error(`loading the routes into Caddy: ${error.message}`));
    this.timer = setInterval(() => {
      this.reconcile().catch((error: Error) => this.logger.error(`reconciling the routes: ${error.message}`));
    }, this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.lock.run(QUEUE, async () => undefined);
    await this.saved;
  }

  /**
   * Replaces every route; nothing changes if the routes are refused or Caddy does not take them. The same
   * routes again (the Manager resending them) are a reconcile, so a change made by hand is reported, not hidden.
   */
  replace(next: ProxyState): Promise<ProxyReport> {
    return this.lock.run(QUEUE, async () => {
      const checked = checkRoutes(next, this.limits);
      if (JSON.stringify(checked) === JSON.stringify(this.state)) return this.restore();
      await this.write(checked);
      this.state = checked;
      this.keep(checked);
      return this.report();
    });
  }

  /** Reads Caddy's configuration back and loads the routes again if it is not what was loaded. */
  reconcile(): Promise<ProxyReport> {
    return this.lock.run(QUEUE, () => this.restore());
  }

  acknowledge(boot: string, sequence: number): void {
    this.drift.acknowledge(boot, sequence);
  }

  private async restore(): Promise<ProxyReport> {
    if (!this.caddy || !this.settings) return this.report();
    const found = configDifferences(
      caddyConfig(this.state, this.settings, this.stored),
      await this.caddy.config(),
    );
    if (found.length > 0) {
      this.logger.warn(
        `the proxy's configuration changed behind the Guardian's back, restoring it: ${found.join('; ')}`,
      );
      this.drift.record(found);
      await this.write(this.state);
    }
    return this.report();
  }

  /** One load of the whole configuration, then read back: a difference is an error, not a success. */
  private async write(state: ProxyState): Promise<void> {
    if (!this.caddy || !this.settings) return;
    const stored = await this.certificates.stored(state.routes.flatMap((route) => route.hosts));
    const config = caddyConfig(state, this.settings, stored);
    await this.caddy.load(config);
    this.stored = stored;
    const wrong = configDifferences(config, await this.caddy.config());
    if (wrong.length > 0)
      throw new Error(`the configuration read back is not the one loaded: ${wrong.join('; ')}`);
  }

  /** Keeps the routes on disk after the reply, one save after the other (see DesiredStateFile). */
  private keep(state: ProxyState): void {
    this.saved = this.saved
      .then(() => this.file.save(state))
      .catch((error: Error) => this.logger.error(`keeping the routes on disk: ${error.message}`));
  }

  private async report(): Promise<ProxyReport> {
    const routed = this.caddy ? owners(this.state) : new Map<string, string>();
    const [certificates, requests] = await Promise.all([
      this.certificates.of([...routed.keys()]),
      this.access.of(routed),
    ]);
    return {
      ...this.state,
      drift: this.drift.unacknowledged(),
      certificates,
      requests,
      requestsSince: this.access.since,
      hours: this.access.hours(),
    };
  }
}

/** Each routed host name's route owner. */
function owners(state: ProxyState): Map<string, string> {
  return new Map(state.routes.flatMap(({ owner, hosts }) => hosts.map((host) => [host, owner] as const)));
}

/** The IPv4 addresses of this host's interfaces. */
function localAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .flatMap((entry) => (entry?.family === 'IPv4' ? [entry.address] : [])),
  );
}
