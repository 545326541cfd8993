import { isMapping, type Finding } from '../policy/shapes';

/** A service a route reaches, at its fixed address on the apps network. */
export interface RoutedService {
  service: string;
  port: number;
  address: string;
}

/** The apps network's key in a checked file; a project's own networks cannot take it. */
export const APPS_NETWORK_KEY = 'testausdeploy_apps';

/**
 * The checked project with each routed service on the apps network at its fixed address, beside its own
 * networks: the proxy reaches it there, and the address stays across restarts and redeploys in place. Compose's
 * network for the service (`default` when it names none) stays, so the project's services still find each other.
 * A route to a service the project does not have, without a network of its own, with a MAC address of its
 * choosing or more than one container, is refused. No service of a routed project keeps NET_RAW.
 */
export function withRoutes(
  project: Record<string, unknown>,
  routes: readonly RoutedService[],
  network: string,
): { project: Record<string, unknown>; notes: string[]; findings: Finding[] } {
  if (routes.length === 0) return { project, notes: [], findings: [] };
  const services = isMapping(project.services) ? project.services : {};
  const networks = isMapping(project.networks) ? project.networks : {};
  const findings: Finding[] = [];
  if (APPS_NETWORK_KEY in networks) {
    findings.push({ path: `networks.${APPS_NETWORK_KEY}`, rule: "the name is the platform's apps network" });
  }
  const given = { ...services };
  for (const { service, address } of routes) {
    const definition = services[service];
    if (!isMapping(definition)) {
      findings.push({
        path: `services.${service}`,
        rule: 'a route reaches this service, which the compose file does not have',
      });
    } else if (definition.network_mode !== undefined) {
      findings.push({
        path: `services.${service}.network_mode`,
        rule: 'a route needs the service on networks, not network_mode',
      });
    } else if (definition.mac_address !== undefined) {
      findings.push({
        path: `services.${service}.mac_address`,
        rule: "a routed service keeps the MAC address Docker gives it (another app's would take its traffic)",
      });
    } else if (replicasOf(definition) > 1) {
      findings.push({
        path: `services.${service}`,
        rule: 'a routed service runs one container: its address on the apps network is fixed',
      });
    } else {
      given[service] = {
        ...definition,
        networks: { ...ownNetworks(definition.networks), [APPS_NETWORK_KEY]: { ipv4_address: address } },
      };
    }
  }
  const notes = routes.map(
    ({ service, port, address }) =>
      `route: service ${service}, port ${port}, at ${address} on the apps network`,
  );
  // Without NET_RAW no container of the project forges ARP or IP packets on the shared bridge (a sidecar shares
  // its service's network, so every service loses it); Docker gives it by default, and cap_add cannot.
  for (const [service, definition] of Object.entries(given)) {
    if (isMapping(definition))
      given[service] = { ...definition, cap_drop: withNetRawDropped(definition.cap_drop) };
  }
  // Compose v2 wants a network a service names declared, `default` too once a service names it.
  const usesDefault = Object.values(given).some(
    (definition) =>
      isMapping(definition) && isMapping(definition.networks) && 'default' in definition.networks,
  );
  const declared = usesDefault && !('default' in networks) ? { default: {}, ...networks } : networks;
  return {
    project: {
      ...project,
      services: given,
      networks: { ...declared, [APPS_NETWORK_KEY]: { external: true, name: network } },
    },
    notes,
    findings,
  };
}

function withNetRawDropped(capDrop: unknown): string[] {
  const dropped = Array.isArray(capDrop) ? capDrop.map(String) : [];
  return dropped.some((cap) => /^(CAP_)?NET_RAW$|^ALL$/i.test(cap)) ? dropped : [...dropped, 'NET_RAW'];
}

/** How many containers compose runs for a service (`scale`, or `deploy.replicas`; one by default). */
function replicasOf(definition: Record<string, unknown>): number {
  const deploy = isMapping(definition.deploy) ? definition.deploy : {};
  return Number(definition.scale ?? deploy.replicas ?? 1);
}

/** A service's networks as a mapping (compose renders one; a list is read too), `default` when it names none. */
function ownNetworks(networks: unknown): Record<string, unknown> {
  if (isMapping(networks)) return networks;
  if (Array.isArray(networks) && networks.length > 0) {
    return Object.fromEntries(networks.map((name) => [String(name), null]));
  }
  return { default: null };
}
