import { z } from 'zod';
import { HOST_NAME } from '@testausdeploy/domain';
import { BUILT_DASHBOARD } from '../dashboard/dashboard-files';
import { env, parseEnv } from '@testausdeploy/service';

export const managerConfigSchema = z.object({
  MANAGER_HOST: env.host('127.0.0.1'),
  MANAGER_PORT: env.port(3000),
  MONGO_URL: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017/testausdeploy'),
  /** The database user the Manager authenticates as (SCRAM-SHA-256), with MONGO_PASSWORD_FILE. */
  MONGO_USER: z.string().min(1).optional(),
  /** A file holding that user's password (a Docker secret), read at start: kept out of the environment. */
  MONGO_PASSWORD_FILE: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
  ALLOWED_ORGS: env.list('testausserveri'),
  /**
   * The file of the master key (32 random bytes, base64, mode 0600), outside the database: it wraps the data keys
   * that seal secrets such as notification channels' URLs. Required; scripts/up.sh makes one.
   */
  MASTER_KEY_FILE: z.string().min(1, 'must name the master key file (scripts/up.sh makes one)'),
  /** During a rotation: the master key being replaced; data keys it wraps are wrapped anew at start. */
  MASTER_KEY_PREVIOUS_FILE: z.string().min(1).optional(),
  /**
   * The id of a master key that is lost for good: the data keys it wrapped are replaced by new ones at start, and
   * what they sealed has to be given again. Only what a refused start names.
   */
  MASTER_KEY_LOST: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a master key id, as a refused start names it (16 hex digits)')
    .optional(),
  MANAGER_STATE_DIR: z.string().default('/var/lib/testausdeploy/manager'),
  DEPLOY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  /**
   * How long the old version of a zero-downtime redeploy keeps answering the requests it has once the proxy sends
   * new ones to the new version, before it is stopped.
   */
  REDEPLOY_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** How often the poller checks every deployed repository's branch head (with ±20% jitter); 0 turns it off. */
  POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How many repositories the poller checks at once. */
  POLL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** The shared secret of GitHub push webhooks (`POST /webhooks/github`); webhooks are off without one. */
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** How often the desired firewall state is resent to every Guardian (which also collects drift); 0: only on change. */
  FIREWALL_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * The domain apps are served under: a project's first route answers at `APPS_HOST_PATTERN` in it. Unset: routes
   * answer only at the host names an admin gives them.
   */
  APPS_DOMAIN: z
    .string()
    .regex(HOST_NAME, 'must be a domain in lower case, like apps.example.org')
    .optional(),
  /** The default host name of a project's first route: `{repo}` and `{org}` (made DNS-safe) in APPS_DOMAIN. */
  APPS_HOST_PATTERN: z
    .string()
    .regex(/^[a-z0-9{}.-]+$/, 'must be made of {repo}, {org}, letters, digits, dots and hyphens')
    .default('{repo}'),
  /** Host ports given to members' containers for SSH, one each (keep them inside the Guardian's PORT_RANGES). */
  CONTAINER_SSH_PORTS: env.portRange('22000-22999'),
  /** The most one container may have; bigger requests are refused. */
  CONTAINER_MAX_CPUS: z.coerce.number().int().min(1).max(64).default(2),
  CONTAINER_MAX_MEMORY_MIB: z.coerce.number().int().min(64).default(2048),
  CONTAINER_MAX_DISK_GIB: z.coerce.number().int().min(1).default(20),
  /** How many containers one member may have. */
  MEMBER_MAX_CONTAINERS: z.coerce.number().int().min(0).default(3),
  /**
   * Snapshots one container may keep, and one member over all their containers. A snapshot takes at most its
   * container's disk quota of the pool, so these bound what snapshots can take of it.
   */
  CONTAINER_MAX_SNAPSHOTS: z.coerce.number().int().min(0).default(10),
  MEMBER_MAX_SNAPSHOTS: z.coerce.number().int().min(0).default(20),
  /** Backups of one container, and one member's over all (also of containers since deleted). */
  CONTAINER_MAX_BACKUPS: z.coerce.number().int().min(0).default(5),
  MEMBER_MAX_BACKUPS: z.coerce.number().int().min(0).default(10),
  /** The size of one member's backups together: the Worker stops an export that would go past it. */
  MEMBER_MAX_BACKUP_MIB: z.coerce
    .number()
    .int()
    .min(0)
    .default(50 * 1024),
  /** The image a container gets when the request names none (the Worker decides which images exist). */
  CONTAINER_IMAGE: z.string().min(1).default('testausdeploy/bookworm'),
  /** How often scheduled snapshots and backups are looked at; 0 turns the schedules off. */
  SCHEDULE_TICK_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * How often the event log's head is signed (into MANAGER_STATE_DIR, outside the database) while it moves; a
   * rewrite of the log after the last signed head is what `GET /audit/verify` cannot see.
   */
  AUDIT_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How long a dashboard session lasts from its sign-in (12 hours); it does not slide with use. */
  SESSION_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(12 * 3600_000),
  /** How often sessions past their expiry that nobody used since are recorded as expired; 0: never. */
  SESSION_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * The Manager's address as browsers reach it (`https://deploy.example.org`): the OAuth and OIDC redirect URIs
   * are made from it. Unset: from each request's Host (fine on 127.0.0.1, not behind a proxy that rewrites it).
   */
  PUBLIC_URL: z.url().optional(),
  /** A GitHub OAuth app's client id: "Sign in with GitHub" is offered when it and the secret's file are set. */
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  /** A file holding the OAuth app's client secret, read at start: kept out of the environment. */
  GITHUB_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  /** GitHub's web and API addresses: GitHub Enterprise's, or the tests' stand-in on 127.0.0.1. */
  GITHUB_URL: z.url().default('https://github.com'),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** An OpenID Connect provider's issuer (discovery at `<issuer>/.well-known/openid-configuration`). */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  /** What the dashboard's button calls the provider ("Sign in with <name>"). */
  OIDC_NAME: z.string().min(1).max(40).default('OpenID Connect'),
  /** Whether a first sign-in by a GitHub user of an allowed organisation (or an OIDC user) makes their account. */
  SIGN_IN_CREATES_MEMBERS: env.flag(false),
  /**
   * How long a session opened through GitHub or OIDC lasts at most (1 hour): then the member signs in again, and
   * someone who left the organisation is refused. Bounded by SESSION_TTL_MS.
   */
  EXTERNAL_SESSION_TTL_MS: z.coerce.number().int().min(1000).default(3600_000),
  /**
   * The only hosts notification channels may point at (`discord.com,hooks.slack.com`); empty: any host. Either
   * way only over https and to public addresses, but for NOTIFICATION_PRIVATE_HOSTS.
   */
  NOTIFICATION_HOSTS: env.list(''),
  /** Hosts on a private network (or this machine) that channels may still reach, over http too. */
  NOTIFICATION_PRIVATE_HOSTS: env.list(''),
  /** The first retry of a failed notification waits this long, each next one twice as long (at most an hour). */
  NOTIFICATION_RETRY_MS: z.coerce.number().int().min(10).default(10_000),
  /** How long a notification is retried before it is given up as failed (a day). */
  NOTIFICATION_GIVE_UP_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 3600_000),
  /** How often every connected Worker is asked for its capacity (also when its session opens); 0: only then. */
  CAPACITY_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * What placement takes one new project or container to need of a Worker's memory until the Worker next reports
   * its capacity, so that a burst of new ones spreads over the nodes.
   */
  PLACEMENT_ESTIMATE_MIB: z.coerce.number().int().min(0).default(512),
  /** A node whose session is down this long is recorded (and notified) as unreachable; 0: never. */
  NODE_UNREACHABLE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** The dashboard's built files, served under /ui (`npm run build` puts them in dist/web). */
  DASHBOARD_DIR: z.string().min(1).default(BUILT_DASHBOARD),
  LOG_LEVEL: env.logLevel(),
});

/** The Manager's validated settings; injected by type. Defaults are documented in the README. */
export interface ManagerConfig extends z.infer<typeof managerConfigSchema> {}
export abstract class ManagerConfig {}

export function loadManagerConfig(source: NodeJS.ProcessEnv = process.env): ManagerConfig {
  return parseEnv(managerConfigSchema, source);
}
