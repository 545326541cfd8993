import { ContainerSchedule, ContainerSpec, ContainerStatus, RestoredFrom } from '@testausdeploy/domain';

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
  requestedAt: Date;
  updatedAt: Date;
  position: number;
}

/** Whether a backup is of the incarnation the view shows now. */
export const ofCurrentIncarnation = (view: ContainerView, backup: BackupView) =>
  backup.incarnation === view.incarnation && backup.ownerId === view.ownerId;
