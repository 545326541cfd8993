import { z } from 'zod';
import { HOST_NAME } from '@testausdeploy/domain';
import { env, NodeServiceConfig, parseEnv, parseSubnet, Subnet } from '@testausdeploy/service';

/** Comma-separated IPv4 subnets (`10.87.0.0/24`). */
const subnets = (fallback: string) =>
  env.list(fallback).transform((items, ctx) => {
    const parsed = items.map(parseSubnet);
    const bad = items.filter((_, i) => parsed[i] === null);
    if (bad.length === 0) return parsed as Subnet[];
    ctx.addIssue({ code: 'custom', message: `not an IPv4 subnet: ${bad.join(', ')}` });
    return z.NEVER;
  });

export const guardianConfigSchema = z
  .object({
    /** Host ports the Guardian manages: closed to the outside unless the Manager opens or forwards them. */
    PORT_RANGES: env.portRanges('8000-8999,22000-22999'),
    /** Ports that can never be opened or forwarded (the host's SSH, the Manager's API, ICP). */
    RESERVED_PORTS: env.portRanges('22,3000,7443,7444'),
    /** Forwards may only point at addresses in these subnets (the LXD bridge's). */
    CONTAINER_SUBNETS: subnets('10.87.0.0/24'),
    /** Bridges whose containers may forward through dockerd's FORWARD DROP (rules kept in DOCKER-USER). */
    CONTAINER_BRIDGES: env
      .list('tdbr0')
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be an interface name'))),
    /**
     * The admin API socket of the Caddy whose routes the Guardian holds ([docs/proxy.md]). Unset: no proxy on
     * this host, and routes are refused.
     */
    PROXY_ADMIN_SOCKET: z.string().startsWith('/', 'must be an absolute path').optional(),
    PROXY_HTTP_PORT: env.port(80),
    PROXY_HTTPS_PORT: env.port(443),
    /** Caddy's storage: certificates, ACME accounts and its local CA. Caddy writes it. */
    PROXY_DATA_DIR: z
      .string()
      .startsWith('/', 'must be an absolute path')
      .default('/var/lib/caddy/testausdeploy'),
    /** Caddy's access log of the apps' requests, JSON lines. Caddy writes it; the Guardian counts it. */
    PROXY_ACCESS_LOG: z
      .string()
      .startsWith('/', 'must be an absolute path')
      .default('/var/log/caddy/testausdeploy-access.log'),
    /** Caddy's log of getting certificates (JSON lines), where the Guardian reads why one failed. Caddy writes it. */
    PROXY_TLS_LOG: z
      .string()
      .startsWith('/', 'must be an absolute path')
      .default('/var/log/caddy/testausdeploy-tls.log'),
    /** Certificates from an ACME CA over HTTP-01 (`acme`), or from Caddy's own local CA (`internal`). */
    PROXY_TLS: z.enum(['acme', 'internal']).default('acme'),
    /** The ACME account's email (the CA writes about expiring certificates) and directory (Caddy's default CAs if unset). */
    ACME_EMAIL: z.string().email().optional(),
    ACME_CA: z.string().url().optional(),
    /** A PEM file of the roots the ACME CA's own HTTPS certificate chains to: a private CA's (step-ca, say). */
    ACME_CA_ROOT: z.string().startsWith('/', 'must be an absolute path').optional(),
    /**
     * Domains whose names one label below are served with one wildcard certificate (`*.<domain>`) over ACME's DNS-01
     * challenge, through PROXY_DNS_PROVIDER ([docs/proxy.md], "Wildcard certificates"). Other names keep HTTP-01.
     */
    PROXY_WILDCARD_DOMAINS: env
      .list('')
      .pipe(z.array(z.string().regex(HOST_NAME, 'must be a domain in lower case, like apps.example.org'))),
    /**
     * Caddy's DNS provider for DNS-01, as JSON: `{"name":"rfc2136","key_name":…,"key":…,"server":…}` for the
     * rfc2136 module, or any `dns.providers.*` module the Caddy was built with. It holds a secret: keep the file 0600.
     */
    PROXY_DNS_PROVIDER: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        try {
          const parsed = JSON.parse(text) as unknown;
          if (
            typeof parsed === 'object' &&
            parsed !== null &&
            typeof (parsed as { name?: unknown }).name === 'string'
          )
            return parsed as { name: string } & Record<string, unknown>;
        } catch {
          // said below, without the value: it holds a secret
        }
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object with the provider module\'s "name"' });
        return z.NEVER;
      }),
    /** The DNS resolvers Caddy asks for the zone of a DNS-01 challenge (host:port, comma-separated); the system's if unset. */
    PROXY_DNS_RESOLVERS: env.list(''),
    /** Routes may only reach addresses in these subnets (the Worker's apps network). */
    UPSTREAM_SUBNETS: subnets('10.88.0.0/16'),
    /** How often the rules and routes are read back and restored if someone changed them. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
    /**
     * Apply the rules in this network namespace (`ip netns` name) instead of the Guardian's own; the tests
     * use it so they never touch the host's rules.
     */
    NETNS: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
  })
  .refine((config) => config.PROXY_WILDCARD_DOMAINS.length === 0 || config.PROXY_DNS_PROVIDER !== undefined, {
    message:
      'PROXY_WILDCARD_DOMAINS needs PROXY_DNS_PROVIDER (a DNS-01 challenge is how a wildcard certificate comes)',
    path: ['PROXY_WILDCARD_DOMAINS'],
  })
  .refine((config) => config.PROXY_WILDCARD_DOMAINS.length === 0 || config.PROXY_TLS === 'acme', {
    message: 'PROXY_WILDCARD_DOMAINS needs PROXY_TLS=acme',
    path: ['PROXY_WILDCARD_DOMAINS'],
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
