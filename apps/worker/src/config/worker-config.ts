import { z } from 'zod';
import { orgNameProblem } from '@testausdeploy/domain';
import { env, NodeServiceConfig, parseEnv, parseSubnet } from '@testausdeploy/service';
import { DEFAULT_LXD_SOCKET } from '../containers/lxd/lxd-socket';
import { bytes } from '../deploy/policy/units';
import { deployKeyProblems } from './deploy-keys';

/** Keys `org` or `org/repo` with the organisation in lower case, the way the Manager records organisations. */
function byLowerCaseOrg(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, value]) => {
      const slash = name.indexOf('/');
      const org = slash < 0 ? name : name.slice(0, slash);
      return [org.toLowerCase() + name.slice(org.length), value];
    }),
  );
}

/** A size as Docker writes it (`512m`, `2g`). */
const size = z.string().regex(/^\d+[bkmg]?$/i, 'must be like 512m');

const settings = z.object({
  /** git's data: one bare repository per org/repo, out of every container's reach. */
  REPOS_DIR: z.string().default('/var/lib/testausdeploy/repos'),
  /** One fresh checkout per deployment attempt, `<project>/<commit>-<random>`; what compose builds and mounts. */
  CHECKOUTS_DIR: z.string().default('/var/lib/testausdeploy/checkouts'),
  /** What projects keep across redeploys: their bind mounts of paths the commit does not have. */
  DATA_DIR: z.string().default('/var/lib/testausdeploy/data'),
  /** The compose command, e.g. `docker-compose` or a compose v2 binary's path; detected when empty. */
  COMPOSE_COMMAND: z.string().default(''),
  GIT_BASE_URL: z.string().url().default('https://github.com'),
  GIT_ORG_BASE_URLS: env.map().transform(byLowerCaseOrg),
  /** Private SSH keys for `ssh://` base URLs: `org=/path/to/key` or `org/repo=/path/to/key`. */
  GIT_DEPLOY_KEYS: env.map().transform(byLowerCaseOrg),
  /** known_hosts file pinning the SSH hosts' keys; required with GIT_DEPLOY_KEYS. */
  GIT_KNOWN_HOSTS: z.string().min(1).optional(),
  /** GitHub organisations only: a name GitHub refuses (`a--b`) could take another project's compose names. */
  ALLOWED_ORGS: env.list('testausserveri').superRefine((orgs, ctx) => {
    for (const problem of orgs.map(orgNameProblem))
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Host ports compose projects may publish, `from-to`. */
  PUBLISHED_PORTS: env.portRange('8000-8999'),
  /** The Docker network the proxy reaches routed services on, and its subnet (the Guardian's UPSTREAM_SUBNETS). */
  APPS_NETWORK: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/)
    .default('testausdeploy-apps'),
  APPS_SUBNET: z
    .string()
    .default('10.88.0.0/16')
    .transform((text, ctx) => {
      const subnet = parseSubnet(text);
      if (subnet) return subnet;
      ctx.addIssue({ code: 'custom', message: 'must be an IPv4 subnet like 10.88.0.0/16' });
      return z.NEVER;
    }),
  /** Limits given to every service whose compose file sets none. */
  DEFAULT_MEMORY: size.default('512m'),
  DEFAULT_CPUS: z.coerce.number().positive().default(1),
  DEFAULT_PIDS: z.coerce.number().int().positive().default(512),
  /** The most any service may ask for (per replica), whatever its compose file says. */
  MAX_MEMORY: size.default('2g'),
  MAX_CPUS: z.coerce.number().positive().default(2),
  MAX_PIDS: z.coerce.number().int().positive().default(4096),
  /** The most replicas (`scale`, `deploy.replicas`) a service may run. */
  MAX_REPLICAS: z.coerce.number().int().min(1).default(4),
  /** Where the poller's branch heads come from: `git` (ls-remote, any host) or `github` (REST API, ETags). */
  HEAD_SOURCE: z.enum(['git', 'github']).default('git'),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** How long a deployed project may take to become healthy before the deployment counts as failed. */
  HEALTH_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** How long it must then stay up (a crashing container needs a moment to exit). */
  HEALTH_SETTLE_MS: z.coerce.number().int().min(0).default(3_000),
  /** LXD's unix socket, through which the Worker manages members' containers. */
  LXD_SOCKET: z.string().default(DEFAULT_LXD_SOCKET),
  /**
   * The LXD project of members' containers. Two Workers on one LXD (as in the tests) each take their own, with
   * its own default profile (network, pool): neither then sees nor touches the other's containers.
   */
  LXD_PROJECT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an LXD project name (a-z, 0-9, -)')
    .default('default'),
  /** LXD image aliases members' containers may be created from. */
  CONTAINER_IMAGES: env.list('testausdeploy/bookworm'),
  /** Where exported container backups are written; not inside LXD's storage pool. */
  BACKUP_DIR: z.string().default('/var/lib/testausdeploy/backups'),
  /** Room the Worker keeps free on the backup directory's file system: an export that would take it is stopped. */
  BACKUP_MIN_FREE_MIB: z.coerce.number().int().min(0).default(2048),
  /** `limits.processes` of every member's container. */
  CONTAINER_PROCESSES: z.coerce.number().int().min(64).default(2000),
  /** How long a started container may take until its sshd answers. */
  CONTAINER_SSH_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
});

export const workerConfigSchema = settings.superRefine((config, ctx) => {
  for (const { setting, message } of deployKeyProblems(config)) {
    ctx.addIssue({ code: 'custom', path: [setting], message });
  }
  // A default above its cap would have every service that sets no limit refused.
  const over = (setting: string, cap: string) =>
    ctx.addIssue({ code: 'custom', path: [setting], message: `must not be above ${cap}` });
  if (Number(bytes(config.DEFAULT_MEMORY)) > Number(bytes(config.MAX_MEMORY)))
    over('DEFAULT_MEMORY', 'MAX_MEMORY');
  if (config.DEFAULT_CPUS > config.MAX_CPUS) over('DEFAULT_CPUS', 'MAX_CPUS');
  if (config.DEFAULT_PIDS > config.MAX_PIDS) over('DEFAULT_PIDS', 'MAX_PIDS');
});

/** The Worker's validated settings; injected by type. Defaults are documented in the README. */
export interface WorkerConfig extends z.infer<typeof workerConfigSchema> {
  node: NodeServiceConfig;
}
export abstract class WorkerConfig {}

export function loadWorkerConfig(
  node: NodeServiceConfig,
  source: NodeJS.ProcessEnv = process.env,
): WorkerConfig {
  return { node, ...parseEnv(workerConfigSchema, source) };
}
