import { z } from 'zod';
import {
  SERVICE_NAME,
  VARIABLE_NAME,
  VARIABLE_VALUE,
  VARIABLE_VALUE_CHARACTERS,
  wellFormed,
} from '@testausdeploy/domain';
import { capacityCommands } from './capacity-schemas';
import { containerCommands } from './container-schemas';
import { firewallCommands } from './firewall-schemas';
import { proxyCommands } from './proxy-schemas';

/**
 * Every ICP command with the schema of its `data` and of its reply. Both ends validate against this one table,
 * so a command cannot drift between Manager and Worker/Guardian.
 */
const gitName = z.string().min(1).max(100);

/** Most lines a `containerLogs` request may ask for from the end of each container's log. */
export const MAX_LOG_TAIL = 1000;

export const containerView = z.object({
  name: z.string(),
  service: z.string(),
  state: z.string(),
  status: z.string(),
  ports: z.array(
    z.object({
      ip: z.string().optional(),
      privatePort: z.number().int(),
      publicPort: z.number().int().optional(),
      protocol: z.string(),
    }),
  ),
});
export type ContainerView = z.infer<typeof containerView>;

/** A container with what dockerd measures of it now. */
export const containerUsage = containerView.extend({
  restarts: z.number().int().nonnegative(),
  /** Share of one CPU over dockerd's last sample interval (100 = one full CPU); null when not running. */
  cpuPercent: z.number().nonnegative().nullable(),
  memoryBytes: z.number().int().nonnegative().nullable(),
  memoryLimitBytes: z.number().int().nonnegative().nullable(),
});

export const icpCommands = {
  health: {
    data: z.object({}).strict(),
    result: z.object({ service: z.string(), version: z.string() }),
  },
  deploy: {
    data: z
      .object({
        deploymentId: z.string().uuid(),
        org: gitName,
        repo: gitName,
        branch: z.string().min(1).max(255),
        composePath: z.string().min(1).max(4096),
        /** A rollback: run this commit of the branch instead of its head... */
        commit: z
          .string()
          .regex(/^[0-9a-f]{40,64}$/)
          .optional(),
        /** ...and refuse unless its compose file is still this one. */
        composeDigest: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/)
          .optional(),
        /**
         * The project's variables in clear, for every service (`service` null) or one: given to its containers'
         * environments, kept only in the checked compose file (0600, in the Worker's state directory).
         */
        variables: z
          .array(
            z
              .object({
                name: z.string().regex(VARIABLE_NAME),
                service: z.string().regex(SERVICE_NAME).nullable(),
                value: z.string().max(VARIABLE_VALUE_CHARACTERS).regex(VARIABLE_VALUE).refine(wellFormed),
              })
              .strict(),
          )
          .max(200)
          .optional(),
        /**
         * The services the proxy routes requests to, and on which container port: each is put on the Worker's apps
         * network at a fixed address, reported back in `upstreams`.
         */
        routes: z
          .array(
            z
              .object({ service: z.string().regex(SERVICE_NAME), port: z.number().int().min(1).max(65535) })
              .strict(),
          )
          .max(20)
          .optional(),
        /**
         * Where the Manager's proxies send this project's requests (or would, while it is stopped): the routed services'
         * addresses of the version it last recorded as deployed. The Worker takes the version at them for the one
         * that serves, whatever its own record says (docs/proxy.md, "When the Worker's record is ahead").
         */
        routedTo: z.array(z.ipv4()).max(20).optional(),
      })
      .strict(),
    result: z.object({
      commit: z.string().regex(/^[0-9a-f]{40,64}$/),
      /** `sha256:<hex>` of the compose file as it ran. */
      composeDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
      containers: z.array(containerView),
      /** Where each routed service answers on the apps network (none without routes). */
      upstreams: z
        .array(z.object({ service: z.string(), port: z.number().int(), address: z.ipv4() }))
        .optional(),
      /** Bytes the repository's clone takes on the Worker's disk (its data in bind mounts included). */
      diskBytes: z.number().int().nonnegative(),
      /**
       * For a project with routes: whether the new version started beside the old one (which goes with `retire`
       * once the proxy sends requests to the new one), or replaced it in place, and why.
       */
      handover: z
        .discriminatedUnion('mode', [
          z.object({ mode: z.literal('beside'), retire: z.string().max(255) }),
          z.object({ mode: z.literal('replace'), reason: z.string().max(1000) }),
        ])
        .optional(),
    }),
  },
  /**
   * The old version of a zero-downtime redeploy goes, once the proxy sends requests to the new one: after
   * `drainMs` for the requests it still answers, its containers stop and are removed (never its volumes). The
   * version that serves is refused.
   */
  retire: {
    data: z
      .object({
        org: gitName,
        repo: gitName,
        /** The compose project the deploy's `handover.retire` named. */
        slot: z.string().min(1).max(255),
        drainMs: z.number().int().min(0).max(600_000),
      })
      .strict(),
    result: z.object({ removed: z.number().int().nonnegative() }),
  },
  /** A deployed project's containers with restarts, CPU and memory, as dockerd reports them now. */
  usage: {
    data: z.object({ org: gitName, repo: gitName }).strict(),
    result: z.object({ containers: z.array(containerUsage) }),
  },
  /** The commit a branch of a repository points at now (the poller's question). */
  head: {
    data: z.object({ org: gitName, repo: gitName, branch: z.string().min(1).max(255) }).strict(),
    result: z.object({ commit: z.string().regex(/^[0-9a-f]{40,64}$/) }),
  },
  /** Acts on a deployed project: stop, start, restart, or remove it (images too, volumes only when asked). */
  lifecycle: {
    data: z
      .object({
        org: gitName,
        repo: gitName,
        action: z.enum(['stop', 'start', 'restart', 'remove']),
        removeVolumes: z.boolean().default(false),
        /**
         * Where the Manager's proxies send this project's requests (or would, while it is stopped): the routed services'
         * addresses of the version it last recorded as deployed. The Worker takes the version at them for the one
         * that serves, whatever its own record says (docs/proxy.md, "When the Worker's record is ahead").
         */
        routedTo: z.array(z.ipv4()).max(20).optional(),
      })
      .strict(),
    result: z.object({ containers: z.array(containerView) }),
  },
  /**
   * Removes everything of a project from the Worker, whatever became of its deployments: containers, networks,
   * built images, named volumes, the data of its bind mounts, its checkouts and its checked file (with the
   * configuration's values). Removing what is already gone is no error.
   */
  removeProject: {
    data: z.object({ org: gitName, repo: gitName }).strict(),
    result: z.object({}),
  },
  /**
   * A deployed project's container output, each line `<service> | <text>`, streamed as progress frames; the
   * reply ends it. With `follow`, it runs until the containers stop or the client cancels it.
   */
  containerLogs: {
    data: z
      .object({
        org: gitName,
        repo: gitName,
        service: z.string().min(1).max(100).optional(),
        /** Lines from the end of each container's log to start with. */
        tail: z.number().int().min(0).max(MAX_LOG_TAIL).default(200),
        follow: z.boolean().default(false),
        /** Only output from this moment on (ISO 8601). */
        since: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    result: z.object({
      lines: z.number().int().nonnegative(),
      /** Lines left out because the containers printed faster than the Worker forwards. */
      dropped: z.number().int().nonnegative(),
    }),
  },
  ...firewallCommands,
  ...proxyCommands,
  ...containerCommands,
  ...capacityCommands,
} as const;

export type IcpCommand = keyof typeof icpCommands;
export type IcpData<C extends IcpCommand> = z.infer<(typeof icpCommands)[C]['data']>;
export type IcpResult<C extends IcpCommand> = z.infer<(typeof icpCommands)[C]['result']>;

export function isIcpCommand(name: string): name is IcpCommand {
  return Object.prototype.hasOwnProperty.call(icpCommands, name);
}
