import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';
import type { PlacementRule } from '../placement/node-choice';

export interface ContainerSpec {
  image: string;
  limits: { cpus: number; memoryMiB: number; diskGiB: number };
  /** The member's unix user inside the container, with sudo. */
  user: string;
  sshKeys: string[];
  nesting: boolean;
}

/** How often a scheduled job runs and how many of its results are kept (older ones are deleted). */
export interface ScheduleRule {
  everyHours: number;
  keep: number;
}

export interface ContainerSchedule {
  snapshots: ScheduleRule | null;
  backups: ScheduleRule | null;
}

type Named<D = object> = { name: string } & D;

/** Where a restored container came from: the container's name, the backup's name and (since v2) its id. */
export interface RestoredFrom {
  name: string;
  backup: string;
  id?: string;
}

/**
 * A member asked for a container; the name and the SSH port are theirs from now on. The container is the
 * `incarnation` (a new id each time the name is requested) owned by the member `ownerId`; what is made of it
 * (snapshots, backups) belongs to that incarnation and that owner, not to the name. `restoredFrom` marks a
 * container made from a backup of another.
 */
export type ContainerRequested = DomainEvent<
  'ContainerRequested',
  Named<
    ContainerSpec & {
      owner: string;
      ownerId: string;
      incarnation: string;
      sshPort: number;
      restoredFrom?: RestoredFrom;
    }
  >
>;
/**
 * The requested container was given its node (Worker and Guardian): it is made there, and every command for it
 * goes there only. None for a container requested before placements were recorded.
 */
export type ContainerPlaced = DomainEvent<
  'ContainerPlaced',
  Named<{ node: string; rule: PlacementRule; reason: string }>
>;
/**
 * An admin started to move the container to `to` (docs/containers.md, "Moving a container"): it is stopped on
 * `from` if it `running`, and carried there as the backup `backup`. Until `ContainerMoved` or
 * `ContainerMoveAbandoned` it takes no other change, and a Manager that stopped meanwhile undoes the move when it
 * can reach both nodes.
 */
export type ContainerMoveStarted = DomainEvent<
  'ContainerMoveStarted',
  Named<{ from: string; to: string; backup: string; running: boolean }>
>;
/** The move did not happen: what it made was removed, and the container runs on (or is stopped) where it was. */
export type ContainerMoveAbandoned = DomainEvent<
  'ContainerMoveAbandoned',
  Named<{ to: string; reason: string }>
>;
/**
 * An admin moved the container to another node (Worker and Guardian), through a backup restored there under its
 * own name and SSH port: it runs there now, with this address on that node's bridge, and every command for it
 * goes there. Its backups stay where they were made. The old node keeps the stopped copy until
 * `ContainerMoveFinished`.
 */
export type ContainerMoved = DomainEvent<
  'ContainerMoved',
  Named<{ from: string; to: string; ipv4: string | null; reason: string }>
>;
/** What the move left on its old node (the stopped copy, the move's backups) is removed. */
export type ContainerMoveFinished = DomainEvent<'ContainerMoveFinished', Named<{ from: string }>>;
/** The Worker made it: it runs, with this address on the bridge. */
export type ContainerCreated = DomainEvent<'ContainerCreated', Named<{ ipv4: string | null }>>;
export type ContainerCreationFailed = DomainEvent<'ContainerCreationFailed', Named<{ reason: string }>>;
export type ContainerActed = DomainEvent<'ContainerActed', Named<{ action: 'start' | 'stop' | 'restart' }>>;
export type ContainerLimitsChanged = DomainEvent<
  'ContainerLimitsChanged',
  Named<{ limits: ContainerSpec['limits']; restarted: boolean }>
>;
export type ContainerSshKeysReplaced = DomainEvent<'ContainerSshKeysReplaced', Named<{ sshKeys: string[] }>>;
export type ContainerDeleted = DomainEvent<'ContainerDeleted', Named>;
export type ContainerScheduleSet = DomainEvent<
  'ContainerScheduleSet',
  Named<{ schedule: ContainerSchedule }>
>;
export type SnapshotCreated = DomainEvent<'SnapshotCreated', Named<{ snapshot: string; createdAt: string }>>;
export type SnapshotRestored = DomainEvent<'SnapshotRestored', Named<{ snapshot: string }>>;
export type SnapshotDeleted = DomainEvent<'SnapshotDeleted', Named<{ snapshot: string }>>;
/**
 * A backup of the container's current incarnation: `backup` is the name its owner gave it, `id` who it is and
 * its file's name on the Worker, unless `key` names the file (backups of schema version 1, stored by name).
 */
export type BackupExported = DomainEvent<
  'BackupExported',
  Named<{ id: string; key?: string; backup: string; file: string; bytes: number; createdAt: string }>
>;
export type BackupDeleted = DomainEvent<'BackupDeleted', Named<{ id: string; backup: string }>>;

export type ContainerEvent =
  | ContainerRequested
  | ContainerPlaced
  | ContainerMoveStarted
  | ContainerMoveAbandoned
  | ContainerMoved
  | ContainerMoveFinished
  | ContainerCreated
  | ContainerCreationFailed
  | ContainerActed
  | ContainerLimitsChanged
  | ContainerSshKeysReplaced
  | ContainerDeleted
  | ContainerScheduleSet
  | SnapshotCreated
  | SnapshotRestored
  | SnapshotDeleted
  | BackupExported
  | BackupDeleted;

export const isContainerEvent = eventGuard<ContainerEvent>([
  'ContainerRequested',
  'ContainerPlaced',
  'ContainerMoveStarted',
  'ContainerMoveAbandoned',
  'ContainerMoved',
  'ContainerMoveFinished',
  'ContainerCreated',
  'ContainerCreationFailed',
  'ContainerActed',
  'ContainerLimitsChanged',
  'ContainerSshKeysReplaced',
  'ContainerDeleted',
  'ContainerScheduleSet',
  'SnapshotCreated',
  'SnapshotRestored',
  'SnapshotDeleted',
  'BackupExported',
  'BackupDeleted',
]);
