import { IcpError, IcpErrorCode, ProxyRoute, ProxyState } from '@testausdeploy/icp';
import { hostOf, ipv4Number, Subnet } from '@testausdeploy/service';

export interface RouteLimits {
  /** Where upstreams may be: the apps network, never the host's own services. */
  upstreamSubnets: Subnet[];
  /** The host's own addresses: never an upstream, whatever subnet they are in. */
  localAddresses: ReadonlySet<string>;
  /** False when this host has no proxy: then no route can be held. */
  enabled: boolean;
}

/**
 * The routes as the Guardian will hold them, in a fixed order, or a `forbidden` error listing every route it
 * refuses and why: an upstream outside the apps network or on the host itself (the bridge's gateway, any of
 * the host's addresses), a host name in two routes. Whatever the Manager
 * asks, the proxy never reaches the host's own services.
 */
export function checkRoutes(state: ProxyState, limits: RouteLimits): ProxyState {
  const problems: string[] = [];
  if (!limits.enabled && state.routes.length > 0) {
    problems.push('this host has no proxy (the Guardian has no PROXY_ADMIN_SOCKET)');
  }
  const owners = new Map<string, string>();
  for (const route of state.routes) {
    for (const { address, port } of route.upstreams) {
      if (
        limits.localAddresses.has(address) ||
        limits.upstreamSubnets.some((subnet) => isGateway(subnet, address))
      ) {
        problems.push(`${route.owner}: upstream ${address}:${port} is the host itself`);
      } else if (!limits.upstreamSubnets.some((subnet) => hostOf(subnet, address))) {
        const allowed = limits.upstreamSubnets.map((subnet) => subnet.text).join(', ');
        problems.push(`${route.owner}: upstream ${address}:${port} is not in the apps network (${allowed})`);
      }
    }
    for (const host of new Set(route.hosts)) {
      const owner = owners.get(host);
      if (owner === route.owner) problems.push(`${route.owner}: ${host} is in two of its routes`);
      else if (owner !== undefined) problems.push(`${route.owner}: ${host} is ${owner}'s`);
      else owners.set(host, route.owner);
    }
  }
  if (problems.length > 0) throw new IcpError(IcpErrorCode.Forbidden, problems.join('; '));
  return { routes: [...state.routes].map(sorted).sort(byFirstHost) };
}

/** Docker's bridge (the host) takes a subnet's first host address. */
const isGateway = (subnet: Subnet, address: string) => ipv4Number(address) === subnet.network + 1;

const sorted = (route: ProxyRoute): ProxyRoute => ({ ...route, hosts: [...new Set(route.hosts)].sort() });
const byFirstHost = (a: ProxyRoute, b: ProxyRoute) => a.hosts[0].localeCompare(b.hosts[0]);
