import { z } from 'zod';

/**
 * The Worker's part of the command table for members' LXD containers. Shapes only: the Worker checks its own
 * policy (allowed images, SSH key types and sizes, that an instance is one it manages).
 */

/** Container, snapshot and backup names: lower case, 3-42 characters, valid as LXD and host names. */
export const containerName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,40}[a-z0-9]$/, 'must be 3-42 of a-z, 0-9 and -, start with a letter');
const snapshotName = containerName;
const backupName = containerName;

/** The member's unix user inside the container (root is refused: members get sudo instead). */
export const unixUser = z
  .string()
  .regex(/^(?!root$)[a-z_][a-z0-9_-]{0,31}$/, 'must be a unix user name, and must not be root');

/**
 * Public keys in authorized_keys form, printable ASCII; the Worker accepts only ed25519, ECDSA and RSA of 3072
 * bits or more. Ten of 4,096 characters (an RSA key of 16,384 bits is about 2,800) fit in a request body with room
 * to spare, so no schema-valid list is refused for its size.
 */
export const sshKeys = z
  .array(
    z.string().regex(/^[\x20-\x7e]{1,4096}$/, 'must be one public key line of printable ASCII, at most 4096'),
  )
  .min(1)
  .max(10);

export const containerLimits = z
  .object({
    cpus: z.number().int().min(1).max(64),
    memoryMiB: z.number().int().min(64).max(65_536),
    diskGiB: z.number().int().min(1).max(1024),
  })
  .strict();
export type ContainerLimits = z.infer<typeof containerLimits>;

const sshPort = z.number().int().min(1024).max(65_535);
const time = z.string();

export const containerInfo = z.object({
  name: z.string(),
  /** LXD's word: Running, Stopped, Frozen, Error. */
  status: z.string(),
  image: z.string(),
  user: z.string(),
  /** The container's static address on the Worker's bridge. */
  ipv4: z.string().nullable(),
  /** Host port on 127.0.0.1 that reaches the container's sshd. */
  sshPort: z.number().int(),
  limits: containerLimits,
  nesting: z.boolean(),
  createdAt: time,
  usage: z.object({
    cpuSeconds: z.number().nonnegative(),
    memoryBytes: z.number().int().nonnegative(),
    /** null when the storage pool cannot tell (a dir pool). */
    diskBytes: z.number().int().nonnegative().nullable(),
    processes: z.number().int(),
  }),
});
export type ContainerInfo = z.infer<typeof containerInfo>;

export const snapshotInfo = z.object({ name: z.string(), createdAt: time });
export const backupInfo = z.object({
  /** The container that was backed up. */
  name: z.string(),
  backup: z.string(),
  /** Where the tarball lies on the Worker. */
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  createdAt: time,
});
export type BackupInfo = z.infer<typeof backupInfo>;

const named = z.object({ name: containerName }).strict();
const snapshotRef = z.object({ name: containerName, snapshot: snapshotName }).strict();
const backupRef = z.object({ name: containerName, backup: backupName }).strict();

/**
 * A backup file is carried between two Workers (a container's move) through the Manager in pieces of at most
 * this many bytes: base64 in one frame, they stay well under ICP's 1 MiB.
 */
export const BACKUP_PIECE_BYTES = 512 * 1024;
const offset = z.number().int().min(0);
const piece = z
  .string()
  .max(Math.ceil(BACKUP_PIECE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');

export const containerCommands = {
  /** Creates, starts and sets up a container; progress lines follow the steps until sshd answers. */
  createContainer: {
    data: z
      .object({
        name: containerName,
        image: z.string().min(1).max(200),
        limits: containerLimits,
        user: unixUser,
        sshKeys,
        sshPort,
        nesting: z.boolean(),
      })
      .strict(),
    result: containerInfo,
  },
  containerAction: {
    data: named.extend({ action: z.enum(['start', 'stop', 'restart']) }).strict(),
    result: containerInfo,
  },
  /** Stops (forcibly) and deletes a container with its snapshots; its exported backups stay. */
  deleteContainer: { data: named, result: z.object({ name: z.string() }) },
  /**
   * Memory and processes apply at once; LXD applies a CPU change only on restart, so a running container
   * whose CPUs changed is restarted (`restarted: true`).
   */
  setContainerLimits: {
    data: named.extend({ limits: containerLimits }).strict(),
    result: containerInfo.extend({ restarted: z.boolean() }),
  },
  /** Replaces the user's authorized_keys in one rename. */
  setSshKeys: {
    data: named.extend({ user: unixUser, sshKeys }).strict(),
    result: containerInfo,
  },
  listContainers: {
    data: z.object({}).strict(),
    result: z.object({ containers: z.array(containerInfo) }),
  },
  showContainer: { data: named, result: containerInfo },
  /** The images members' containers may be made from here, each with whether LXD has it now. */
  containerImages: {
    data: z.object({}).strict(),
    result: z.object({ images: z.array(z.object({ alias: z.string(), available: z.boolean() })) }),
  },
  createSnapshot: { data: snapshotRef, result: snapshotInfo },
  listSnapshots: { data: named, result: z.object({ snapshots: z.array(snapshotInfo) }) },
  /** Puts the container back to the snapshot; its current limits and SSH keys are kept. */
  restoreSnapshot: { data: snapshotRef, result: containerInfo },
  deleteSnapshot: { data: snapshotRef, result: z.object({ name: z.string(), snapshot: z.string() }) },
  /**
   * Exports an uncompressed tarball into the Worker's backup directory; progress lines give bytes written. An
   * export past `maxBytes` (what is left of the owner's backup quota) is stopped and nothing is kept.
   */
  exportBackup: {
    data: backupRef
      .extend({
        maxBytes: z.number().int().positive(),
        /** With the container's snapshots (a move's backup); a member's backup is the container alone. */
        snapshots: z.boolean().optional(),
      })
      .strict(),
    result: backupInfo,
  },
  /** The backups of a container name, also after the container was deleted. */
  listBackups: { data: named, result: z.object({ backups: z.array(backupInfo) }) },
  deleteBackup: { data: backupRef, result: z.object({ name: z.string(), backup: z.string() }) },
  /**
   * Up to BACKUP_PIECE_BYTES of a backup's file from `offset` on (none past its end), the file's size, and from
   * offset 0 its SHA-256 (null past it).
   */
  readBackup: {
    data: backupRef.extend({ offset }).strict(),
    result: z.object({ piece, bytes: z.number().int().nonnegative(), sha256: sha256.nullable() }),
  },
  /**
   * Writes a backup's file that another Worker read, one piece after the other from offset 0; the file of
   * `bytes` in all is a backup once its last piece is written and its SHA-256 is `sha256`. A file of that name
   * is refused, as is a piece out of order; one from offset 0 starts again.
   */
  writeBackup: {
    data: backupRef
      .extend({
        offset,
        piece,
        bytes: z.number().int().positive(),
        sha256,
      })
      .strict(),
    result: z.object({ written: z.number().int().nonnegative(), done: z.boolean() }),
  },
  /** Imports a backup as a new, started container with a fresh MAC, its own address and SSH port. */
  restoreBackup: {
    data: backupRef.extend({ newName: containerName, sshPort }).strict(),
    result: containerInfo,
  },
} as const;
