import { z } from 'zod';
import { env, NodeServiceConfig, parseEnv, parseSubnet, Subnet } from '@testausdeploy/service';

export const guardianConfigSchema = z.object({
  /** Host ports the Guardian manages: closed to the outside unless the Manager opens or forwards them. */
  PORT_RANGES: env.portRanges('8000-8999,22000-22999'),
  /** Ports that can never be opened or forwarded (the host's SSH, the Manager's API, ICP). */
  RESERVED_PORTS: env.portRanges('22,3000,7443,7444'),
  /** Forwards may only point at addresses in these subnets (the LXD bridge's). */
  CONTAINER_SUBNETS: env.list('10.87.0.0/24').transform((items, ctx) => {
    const subnets = items.map(parseSubnet);
    const bad = items.filter((_, i) => subnets[i] === null);
    if (bad.length === 0) return subnets as Subnet[];
    ctx.addIssue({ code: 'custom', message: `not an IPv4 subnet: ${bad.join(', ')}` });
    return z.NEVER;
  }),
  /** Bridges whose containers may forward through dockerd's FORWARD DROP (rules kept in DOCKER-USER). */
  CONTAINER_BRIDGES: env
    .list('tdbr0')
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be an interface name'))),
  /** How often the rules are read back and restored if someone changed them. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Apply the rules in this network namespace (`ip netns` name) instead of the Guardian's own; the tests
   * use it so they never touch the host's rules.
   */
  NETNS: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
});

/** The Guardian's validated settings; injected by type. Defaults are documented in the README. */
export interface GuardianConfig extends z.infer<typeof guardianConfigSchema> {
  node: NodeServiceConfig;
}
export abstract class GuardianConfig {}

export function loadGuardianConfig(
  node: NodeServiceConfig,
  source: NodeJS.ProcessEnv = process.env,
): GuardianConfig {
  const values = parseEnv(guardianConfigSchema, { ...source, NETNS: source.GUARDIAN_NETNS });
  // Its own ICP port is always reserved, whatever the list says.
  return { node, ...values, RESERVED_PORTS: [...values.RESERVED_PORTS, { from: node.port, to: node.port }] };
}
