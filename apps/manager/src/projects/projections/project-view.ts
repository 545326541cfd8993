import { PlacementRule, ProjectRole } from '@testausdeploy/domain';

/** A member's role on a project, as granted. */
export interface ProjectRoleView {
  memberId: string;
  member: string;
  role: ProjectRole;
  grantedBy: string;
  grantedAt: Date;
}

/**
 * The projects read model: one document per repository that has been deployed or has members, `_id` =
 * `org/repo`. What is deployed from it now is the newest deployment's source.
 */
export interface ProjectView {
  _id: string;
  org: string;
  repo: string;
  roles: ProjectRoleView[];
  /**
   * Where in the log this project began: its first event, or its first after it was last removed. What came
   * before (deployments, roles, channels of the removed one) is no member's to see or restore.
   */
  since: number;
  /** The newest deployment's id, branch and compose file; null while nothing was deployed. */
  latest: { deploymentId: string; branch: string; composePath: string; requestedAt: Date } | null;
  /** The node it runs on, how it came there and who asked; null before its first deployment. */
  placement: ProjectPlacementView | null;
  position: number;
}

export interface ProjectPlacementView {
  node: string;
  rule: PlacementRule | 'moved';
  /** The reason it was placed with; for a move, the node it came from. */
  reason: string;
  by: string;
  at: Date;
  /** The nodes it moved away from where what it left is still to be removed (docs/scaling.md, "Moving a project"). */
  leftOn: string[];
}

export const projectKey = (org: string, repo: string) => `${org}/${repo}`;
