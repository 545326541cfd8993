import { z } from 'zod';

const bytes = z.number().int().nonnegative();
const space = z.object({ totalBytes: bytes, freeBytes: bytes });

/**
 * What a Worker's host has and has left, measured when asked: what the Manager places new deployments and
 * member containers by (docs/scaling.md, "Placement").
 */
export const nodeCapacity = z.object({
  cpus: z.number().int().positive(),
  /** The load average over the last minute: runnable processes, compared with `cpus`. */
  load1: z.number().nonnegative(),
  /** `availableBytes` is the kernel's MemAvailable: what new processes can take without swapping. */
  memory: z.object({ totalBytes: bytes, availableBytes: bytes }),
  /** The file system of the repositories' clones and checkouts (REPOS_DIR). */
  repositories: space,
  /** LXD's storage pool of members' containers; null where the Worker cannot reach LXD (it then takes none). */
  storagePool: space.extend({ name: z.string() }).nullable(),
  /** Deployed projects (compose projects of this Worker with a container) and their running containers. */
  projects: z.number().int().nonnegative(),
  projectContainers: z.number().int().nonnegative(),
  /** Members' containers in LXD; null where the Worker cannot reach LXD. */
  memberContainers: z.number().int().nonnegative().nullable(),
  /**
   * Which LXD and project hold its members' containers (the server certificate's fingerprint, `/`, the project):
   * two Workers with one share their containers' names. Null where the Worker cannot reach LXD.
   */
  containerHost: z.string().max(300).nullable(),
  /** The id of the Docker engine it runs projects on: two Workers with one engine share its containers. */
  dockerEngine: z.string().max(200),
});
export type NodeCapacity = z.infer<typeof nodeCapacity>;

export const capacityCommands = {
  /** The Worker's host now: CPU, memory, disks and what runs on it. */
  capacity: {
    data: z.object({}).strict(),
    result: nodeCapacity,
  },
};
