import {
  ContainerSchedule,
  ContainerSpec,
  ContainerStatus,
  PlacementRule,
  RestoredFrom,
} from '@testausdeploy/domain';

/** An exported backup, of the incarnation it was made of and owned by that incarnation's owner. */
export interface BackupView {
  id: string;
  backup: string;
  incarnation: string;
  owner: string;
  ownerId: string;
  file: string;
  bytes: number;
  createdAt: string;
  /** The Worker whose backup directory holds the file; null for one exported before placements were recorded. */
  node: string | null;
}

/**
 * The member containers read model: one document per container name, `_id` = the name, showing its current
 * incarnation, and the backups of every incarnation of the name.
 */
export interface ContainerView extends ContainerSpec {
  _id: string;
  name: string;
  owner: string;
  ownerId: string;
  incarnation: string;
  status: ContainerStatus;
  /** Why creating it failed. */
  reason: string | null;
  ipv4: string | null;
  /** Host port of its SSH: 127.0.0.1 on the host, and the Guardian forwards it from outside. */
  sshPort: number;
  snapshots: { snapshot: string; createdAt: string }[];
  /** Exported backups; they outlive the container. */
  backups: BackupView[];
  schedule: ContainerSchedule;
  restoredFrom: RestoredFrom | null;
  /** The Worker it runs on, and how that was chosen; null until placed (and for one from before placements). */
  node: string | null;
  placement: { rule: PlacementRule; reason: string } | null;
  /** A move under way: it takes no other change until it is done or undone. */
  moving: { from: string; to: string } | null;
  /** A moved container's old node, where its stopped copy is still to be removed. */
  leftOn: string | null;
  requestedAt: Date;
  updatedAt: Date;
  position: number;
}

/** Whether a backup is of the incarnation the view shows now. */
export const ofCurrentIncarnation = (view: ContainerView, backup: BackupView) =>
  backup.incarnation === view.incarnation && backup.ownerId === view.ownerId;
