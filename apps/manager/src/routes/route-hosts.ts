import { Injectable } from '@nestjs/common';
import { HOST_NAME, isUnder, ProjectRoute } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';

/** A name as one DNS label: lower case, anything but letters, digits and `-` made `-`, at most 63 characters. */
const label = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');

/** The host names each route of a project wants: the first route's default one, then those given to it. */
@Injectable()
export class RouteHosts {
  constructor(private readonly config: ManagerConfig) {}

  /**
   * `<repo>.<APPS_DOMAIN>` (by APPS_HOST_PATTERN), or null without APPS_DOMAIN, or when the names make no host
   * name (a repository called `_`, a label over 63 characters).
   */
  defaultHost(org: string, repo: string): string | null {
    if (!this.config.APPS_DOMAIN) return null;
    const pattern = this.config.APPS_HOST_PATTERN;
    const host = `${pattern.replaceAll('{repo}', label(repo)).replaceAll('{org}', label(org))}.${this.config.APPS_DOMAIN}`;
    return HOST_NAME.test(host) ? host : null;
  }

  /** Whether `host` is the apps domain or under it, where the projects' default host names are. */
  underAppsDomain(host: string): boolean {
    const domain = this.config.APPS_DOMAIN?.toLowerCase();
    return !!domain && isUnder(host, domain);
  }

  /** What each route wants; what it gets is settled among projects by claimHosts. */
  of(org: string, repo: string, routes: ProjectRoute[]): string[][] {
    const fallback = this.defaultHost(org, repo);
    return routes.map(({ hosts }, i) =>
      i === 0 && fallback && !hosts.includes(fallback) ? [fallback, ...hosts] : hosts,
    );
  }
}
