import { ContainerSchedule, ContainerSpec, ContainerStatus } from '@testausdeploy/domain';

/** The member containers read model: one document per container name, `_id` = the name. */
export interface ContainerView extends ContainerSpec {
  _id: string;
  name: string;
  owner: string;
  status: ContainerStatus;
  /** Why creating it failed. */
  reason: string | null;
  ipv4: string | null;
  /** Host port of its SSH: 127.0.0.1 on the host, and the Guardian forwards it from outside. */
  sshPort: number;
  snapshots: { snapshot: string; createdAt: string }[];
  /** Exported backups; they outlive the container. */
  backups: { backup: string; file: string; bytes: number; createdAt: string }[];
  schedule: ContainerSchedule;
  restoredFrom: { name: string; backup: string } | null;
  requestedAt: Date;
  updatedAt: Date;
  position: number;
}
