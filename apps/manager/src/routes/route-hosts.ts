import { Injectable } from '@nestjs/common';
import { ProjectRoute } from '@testausdeploy/domain';
import { ManagerConfig } from '../config/manager-config';

/** A name as one DNS label: lower case, anything but letters, digits and `-` made `-`, at most 63 characters. */
const label = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');

/** The host names each route of a project answers at: the first route's default one, then those given to it. */
@Injectable()
export class RouteHosts {
  constructor(private readonly config: ManagerConfig) {}

  /** `<repo>.<APPS_DOMAIN>` (by APPS_HOST_PATTERN), or null without APPS_DOMAIN. */
  defaultHost(org: string, repo: string): string | null {
    if (!this.config.APPS_DOMAIN) return null;
    const name = this.config.APPS_HOST_PATTERN.replaceAll('{repo}', label(repo)).replaceAll(
      '{org}',
      label(org),
    );
    return `${name}.${this.config.APPS_DOMAIN}`;
  }

  of(org: string, repo: string, routes: ProjectRoute[]): string[][] {
    const fallback = this.defaultHost(org, repo);
    return routes.map(({ hosts }, i) =>
      i === 0 && fallback && !hosts.includes(fallback) ? [fallback, ...hosts] : hosts,
    );
  }
}
