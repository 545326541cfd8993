/** A DNS host name in lower case: letters, digits and hyphens in dot-separated labels, at least two of them. */
export const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The most routes a project has, and host names a route has beside its default one. */
export const MAX_ROUTES = 20;
export const MAX_ROUTE_HOSTS = 20;

/** The most domains delegated to one project. */
export const MAX_DELEGATED_DOMAINS = 10;

/** Whether `host` is `domain` or a name under it. */
export const isUnder = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);
