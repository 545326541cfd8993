import { AggregateRoot } from '../aggregate-root';
import { InvalidInput } from '../errors';
import { SERVICE_NAME } from '../configuration/variable-rules';
import { HOST_NAME, isUnder, MAX_DELEGATED_DOMAINS, MAX_ROUTE_HOSTS, MAX_ROUTES } from './route-rules';
import { ProjectRoute, RoutesEvent } from './routes.events';

/**
 * A project's routes through the proxy, and the domains delegated to it, one stream per repository. Which host
 * or domain is whose is the Manager's check.
 */
export class ProjectRoutes extends AggregateRoot<RoutesEvent> {
  private current: ProjectRoute[] = [];
  private delegated: string[] = [];

  constructor(
    readonly org: string,
    readonly repo: string,
  ) {
    super();
  }

  static streamId(org: string, repo: string): string {
    return `routes-${org}/${repo}`;
  }

  get routes(): ProjectRoute[] {
    return this.current;
  }

  get domains(): string[] {
    return this.delegated;
  }

  /** Replaces the delegated domains; each well formed, once, none under another. Nothing new: nothing recorded. */
  delegate(domains: string[]): void {
    const problems: string[] = [];
    if (domains.length > MAX_DELEGATED_DOMAINS)
      problems.push(`a project has at most ${MAX_DELEGATED_DOMAINS} delegated domains`);
    for (const [i, domain] of domains.entries()) {
      if (!HOST_NAME.test(domain)) problems.push(`${JSON.stringify(domain)} is not a domain in lower case`);
      else if (domains.indexOf(domain) !== i) problems.push(`${domain} is named twice`);
      else {
        const over = domains.find((other) => other !== domain && isUnder(domain, other));
        if (over) problems.push(`${domain} is under ${over} already`);
      }
    }
    if (problems.length > 0) throw new InvalidInput(problems.join('; '));
    const next = [...domains].sort();
    if (JSON.stringify(next) === JSON.stringify(this.delegated)) return;
    this.record({ type: 'DomainsDelegated', data: { org: this.org, repo: this.repo, domains: next } });
  }

  /** Whether a maintainer may give `host` to a route: it is under a domain delegated to the project. */
  delegates(host: string): boolean {
    return this.delegated.some((domain) => isUnder(host, domain));
  }

  /** Replaces every route; each service once, each host name once, all well formed. Nothing new: nothing recorded. */
  set(routes: ProjectRoute[]): void {
    const problems: string[] = [];
    if (routes.length > MAX_ROUTES) problems.push(`a project has at most ${MAX_ROUTES} routes`);
    const services = new Set<string>();
    const hosts = new Set<string>();
    for (const { service, port, hosts: named } of routes) {
      if (!SERVICE_NAME.test(service)) problems.push(`${JSON.stringify(service)} is not a service name`);
      if (services.has(service)) problems.push(`service ${service} is in two routes`);
      services.add(service);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        problems.push(`port ${port} of ${service} is not a port`);
      if (named.length > MAX_ROUTE_HOSTS) problems.push(`a route has at most ${MAX_ROUTE_HOSTS} host names`);
      for (const host of named) {
        if (!HOST_NAME.test(host)) problems.push(`${JSON.stringify(host)} is not a host name in lower case`);
        else if (hosts.has(host)) problems.push(`${host} is named twice`);
        hosts.add(host);
      }
    }
    if (problems.length > 0) throw new InvalidInput(problems.join('; '));
    const next = routes.map(({ service, port, hosts: named }) => ({
      service,
      port,
      hosts: [...named].sort(),
    }));
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.record({ type: 'RoutesChanged', data: { org: this.org, repo: this.repo, routes: next } });
  }

  /** Removes every route and delegated domain (its project is removed). */
  clear(): void {
    if (this.current.length > 0) this.set([]);
    if (this.delegated.length > 0) this.delegate([]);
  }

  protected apply(event: RoutesEvent): void {
    if (event.type === 'RoutesChanged') this.current = event.data.routes;
    else this.delegated = event.data.domains;
  }
}
