import { DeployedContainer, DeploymentStatus, Handover } from '@testausdeploy/domain';

/** The deployments read model: one document per deployment, what `GET /deployments` returns. */
export interface DeploymentView {
  /** The deployment id: the read model's key. */
  _id: string;
  id: string;
  org: string;
  repo: string;
  branch: string;
  composePath: string;
  status: DeploymentStatus;
  commit: string | null;
  composeDigest: string | null;
  reason: string | null;
  containers: DeployedContainer[];
  /** Disk use of the repository's clone on the Worker after the last successful attempt; null if not reported. */
  diskBytes: number | null;
  /** How a project with routes got the version its last success ran: beside the old one, or in place and why. */
  handover: Handover | null;
  requestedBy: string;
  /** The version of the project's configuration the attempt runs with (0: no variables). */
  configurationVersion: number;
  /** For a rollback: the attempt whose commit and compose file (and configuration) it restores. */
  rollbackOf: string | null;
  /** For a move: the node it runs on, which its project moves to once it succeeds. */
  moveTo: string | null;
  requestedAt: Date;
  /** Where in the log it was requested: whether it is of its project as it is now (see ProjectView.since). */
  requestedPosition: number;
  updatedAt: Date;
  /** Global position of the last event applied to this view: where to look in the audit log. */
  position: number;
}
