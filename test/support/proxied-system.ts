import { randomBytes, randomInt } from 'node:crypto';
import Dockerode from 'dockerode';
import { CaddyUnderTest } from './caddy';
import { GitHost } from './git-host';
import { System } from './system';

/**
 * The three apps with a real Caddy whose routes the Guardian holds (`tls internal`), the Worker's apps network on
 * dockerd (a network and a /24 subnet of this run's own, in `10.<second>.x.0`), and a git host on 127.0.0.1: what
 * the tests and the benchmark of apps behind the proxy run on. Apps are served under `domain`; `manager` adds to the
 * Manager's settings (the syncs run every 2 s unless it says otherwise).
 */
export class ProxiedSystem {
  private constructor(
    readonly git: GitHost,
    readonly caddy: CaddyUnderTest,
    readonly system: System,
    readonly network: string,
    readonly subnet: string,
  ) {}

  static async start(options: {
    org: string;
    domain: string;
    second: number;
    manager?: Record<string, string>;
  }): Promise<ProxiedSystem> {
    const network = `td-apps-test-${randomBytes(3).toString('hex')}`;
    const subnet = `10.${options.second}.${randomInt(1, 255)}.0/24`;
    const git = await GitHost.start();
    const caddy = await CaddyUnderTest.start();
    const system = await System.start({
      allowedOrgs: options.org,
      gitBaseUrl: git.baseUrl,
      env: {
        manager: { APPS_DOMAIN: options.domain, FIREWALL_SYNC_INTERVAL_MS: '2000', ...options.manager },
        worker: { APPS_NETWORK: network, APPS_SUBNET: subnet },
        guardian: { ...caddy.guardianEnv(), UPSTREAM_SUBNETS: subnet, RECONCILE_INTERVAL_MS: '2000' },
      },
    });
    return new ProxiedSystem(git, caddy, system, network, subnet);
  }

  /** Takes down the projects' compose objects (both compose projects of each), the apps, the network and the rest. */
  async stop(org: string, repos: string[]): Promise<void> {
    for (const repo of repos) await this.system.composeDown(org, repo);
    await this.system.stop();
    await new Dockerode()
      .getNetwork(this.network)
      .remove()
      .catch(() => undefined);
    await this.caddy.remove();
    await this.git.stop();
  }
}
