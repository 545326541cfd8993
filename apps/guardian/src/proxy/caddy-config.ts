import { createHmac, randomBytes } from 'node:crypto';
import { ProxyRoute, ProxyState } from '@testausdeploy/icp';

export interface ProxySettings {
  adminSocket: string;
  httpPort: number;
  httpsPort: number;
  dataDir: string;
  accessLog: string;
  tlsLog: string;
  tls: 'acme' | 'internal';
  acmeEmail?: string;
  acmeCa?: string;
  /** A PEM file of the roots the ACME CA's HTTPS chains to. */
  acmeCaRoot?: string;
  /** Domains whose names one label below share a wildcard certificate over DNS-01 (wildcardOf). */
  wildcardDomains: string[];
  /** Caddy's `dns.providers.*` module for DNS-01, as configured (it holds a secret). */
  dnsProvider?: Record<string, unknown>;
  dnsResolvers: string[];
}

/** A certificate and its key in Caddy's storage, by their storage keys. */
export interface StoredCertificate {
  certificate: string;
  key: string;
}

/** The apps' server in Caddy's configuration, and the logger its access log goes to. */
const SERVER = 'apps';
const ACCESS_LOGGER = `http.log.access.${SERVER}`;
/** Caddy's loggers of getting and renewing certificates: what certificates.ts reads. */
const CERTIFICATE_LOGGERS = ['tls.obtain', 'tls.renew'];
/** Browsers keep to HTTPS for a year once they have seen an app over it. */
const HSTS = 'max-age=31536000';
/** A request waits this long for an upstream that is restarting (or being replaced) before it fails. */
const UPSTREAM_TRY_DURATION = '10s';

/**
 * Caddy's whole configuration for the routes: one HTTPS server for every app's host names (Caddy's automatic
 * HTTPS gets each a certificate and redirects HTTP to HTTPS), HSTS on every answer, an access log of its own,
 * and the admin API kept where it is. The Guardian loads it whole and compares what Caddy reads back with it.
 */
export function caddyConfig(
  state: ProxyState,
  settings: ProxySettings,
  stored: StoredCertificate[] = [],
): Record<string, unknown> {
  const hosts = state.routes.flatMap((route) => route.hosts);
  // Names under a wildcard domain are served with its one certificate, got over DNS-01; the rest each get their own.
  const covered = hosts.filter((host) => wildcardOf(host, settings.wildcardDomains) !== null);
  const own = hosts.filter((host) => !covered.includes(host));
  const wildcards = [...new Set(covered.map((host) => wildcardOf(host, settings.wildcardDomains) as string))];
  const policies = [
    ...(wildcards.length > 0 ? [{ subjects: wildcards, issuers: [issuer(settings, true)] }] : []),
    ...(own.length > 0 ? [{ subjects: own, issuers: [issuer(settings, false)] }] : []),
  ];
  return {
    admin: { listen: `unix/${settings.adminSocket}` },
    storage: { module: 'file_system', root: settings.dataDir },
    logging: {
      logs: {
        default: { exclude: [ACCESS_LOGGER, ...CERTIFICATE_LOGGERS] },
        certificates: {
          writer: { output: 'file', filename: settings.tlsLog, roll_size_mb: 10, roll_keep: 2 },
          encoder: { format: 'json' },
          include: CERTIFICATE_LOGGERS,
        },
        [SERVER]: {
          writer: { output: 'file', filename: settings.accessLog, roll_size_mb: 100, roll_keep: 5 },
          encoder: { format: 'json' },
          include: [ACCESS_LOGGER],
        },
      },
    },
    apps: {
      http: {
        http_port: settings.httpPort,
        https_port: settings.httpsPort,
        servers: {
          [SERVER]: {
            listen: [`:${settings.httpsPort}`],
            logs: { default_logger_name: SERVER },
            // Certificates loaded from storage (below) are still renewed and replaced as automation does.
            automatic_https: {
              ignore_loaded_certificates: true,
              ...(covered.length > 0 && { skip_certificates: covered }),
            },
            routes: state.routes.map(caddyRoute),
          },
        },
      },
      tls: {
        automation: { policies },
        // Caddy makes a new certificate cache at every load and fills it with the managed certificates in the
        // background: a handshake in between found none (a TLS alert, one request in a few thousand at a route
        // switch). Certificates loaded here are in the new cache before it serves. The wildcard certificates are
        // managed by name: no route names them.
        ...((stored.length > 0 || wildcards.length > 0) && {
          certificates: {
            ...(wildcards.length > 0 && { automate: wildcards }),
            ...(stored.length > 0 && { load_storage: { pairs: stored } }),
          },
        }),
      },
      pki: { certificate_authorities: { local: { install_trust: false } } },
    },
  };
}

function caddyRoute(route: ProxyRoute): Record<string, unknown> {
  return {
    match: [{ host: route.hosts }],
    handle: [
      { handler: 'headers', response: { set: { 'Strict-Transport-Security': [HSTS] } } },
      {
        handler: 'reverse_proxy',
        upstreams: route.upstreams.map(({ address, port }) => ({ dial: `${address}:${port}` })),
        load_balancing: { try_duration: UPSTREAM_TRY_DURATION },
      },
    ],
    terminal: true,
  };
}

function issuer(settings: ProxySettings, dns: boolean): Record<string, unknown> {
  if (settings.tls === 'internal') return { module: 'internal' };
  const resolvers = settings.dnsResolvers;
  return {
    module: 'acme',
    ...(settings.acmeCa ? { ca: settings.acmeCa } : {}),
    ...(settings.acmeEmail ? { email: settings.acmeEmail } : {}),
    ...(settings.acmeCaRoot ? { trusted_roots_pem_files: [settings.acmeCaRoot] } : {}),
    ...(dns && {
      challenges: { dns: { provider: settings.dnsProvider, ...(resolvers.length > 0 && { resolvers }) } },
    }),
  };
}

/**
 * The wildcard certificate that serves `host` (`*.apps.example.org` for `site.apps.example.org`: a wildcard covers
 * one label), or null when no wildcard domain covers it.
 */
export function wildcardOf(host: string, domains: string[]): string | null {
  const domain = domains.find(
    (one) => host.endsWith(`.${one}`) && !host.slice(0, -one.length - 1).includes('.'),
  );
  return domain ? `*.${domain}` : null;
}

/**
 * Where `actual` differs from `expected`, as JSON paths in words (`apps.http.servers.apps.routes[0] is missing`),
 * at most `limit` of them. Key order does not matter; an empty list means Caddy holds exactly what was loaded.
 */
export function configDifferences(expected: unknown, actual: unknown, limit = 20): string[] {
  const found: string[] = [];
  [expected, actual] = [withoutSecrets(expected), withoutSecrets(actual)];
  const walk = (want: unknown, have: unknown, path: string) => {
    if (found.length >= limit) return;
    if (Array.isArray(want) && Array.isArray(have)) {
      if (want.length !== have.length) {
        found.push(`${path} has ${have.length} entries, not the ${want.length} written`);
        return;
      }
      want.forEach((item, i) => walk(item, have[i], `${path}[${i}]`));
    } else if (isObject(want) && isObject(have)) {
      for (const key of new Set([...Object.keys(want), ...Object.keys(have)])) {
        if (found.length >= limit) return;
        const at = path ? `${path}.${key}` : key;
        if (!(key in have)) found.push(`${at} is missing`);
        else if (!(key in want)) found.push(`${at} was added`);
        else walk(want[key], have[key], at);
      }
    } else if (JSON.stringify(want) !== JSON.stringify(have)) {
      found.push(`${path || 'the configuration'} is ${short(have)}, not ${short(want)}`);
    }
  };
  walk(expected, actual, '');
  return found;
}

/** Keys this process's digests of secrets, so a digest in a report cannot be tried against guesses elsewhere. */
const DIGEST_KEY = randomBytes(32);

/**
 * The configuration with each DNS provider's settings (`challenges.dns.provider`, which hold a secret) replaced by
 * a keyed digest: a difference there is found and reported without a word of the secret, whatever the read-back
 * holds in its place.
 */
function withoutSecrets(value: unknown, key = ''): unknown {
  if (key === 'provider' && value !== undefined)
    return `digest:${createHmac('sha256', DIGEST_KEY).update(canonical(value)).digest('hex').slice(0, 16)}`;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, withoutSecrets(item, name)]));
}

/** JSON with every object's keys in order: the same text for the same settings, as Caddy reads them back or not. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!isObject(value)) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
