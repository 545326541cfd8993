import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';
import type { PlacementRule } from '../placement/node-choice';

/** What a member may do on a project: a maintainer runs it, a viewer watches it. */
export type ProjectRole = 'maintainer' | 'viewer';

/**
 * A member got a role on a project (a repository deployed from an allowed organisation), or a new one in place
 * of the old. The member is who `memberId` names: a later member of the same name holds nothing of it.
 * `claimed` marks the member who deployed a new repository themselves, by the organisation's setting.
 */
export type ProjectRoleGranted = DomainEvent<
  'ProjectRoleGranted',
  { org: string; repo: string; memberId: string; member: string; role: ProjectRole; claimed?: true }
>;

/** The member's role on the project ended. */
export type ProjectRoleRevoked = DomainEvent<
  'ProjectRoleRevoked',
  { org: string; repo: string; memberId: string; member: string }
>;

/**
 * The project was removed, with everything of it: its containers and data on the Worker, its configuration,
 * its channels, its data key (what it sealed can never be opened again) and every role on it. The repository
 * may be deployed again later: that makes a new project.
 */
export type ProjectRemoved = DomainEvent<'ProjectRemoved', { org: string; repo: string }>;

/**
 * The project was given its node (Worker and Guardian) before its first deployment: everything of it runs there,
 * and every command for it goes there only. `reason` says why in words, with the figures it was chosen by.
 */
export type ProjectPlaced = DomainEvent<
  'ProjectPlaced',
  { org: string; repo: string; node: string; rule: PlacementRule; reason: string }
>;

/**
 * An admin moved the project: it was deployed on `to` and switched there. What it left on `from` is still to be
 * removed there, until `ProjectMoveFinished` says it was.
 */
export type ProjectMoved = DomainEvent<
  'ProjectMoved',
  { org: string; repo: string; from: string; to: string }
>;

/** The Worker of `from`, a node the project moved away from, removed what the project left there. */
export type ProjectMoveFinished = DomainEvent<
  'ProjectMoveFinished',
  { org: string; repo: string; from: string }
>;

export type ProjectEvent =
  | ProjectRoleGranted
  | ProjectRoleRevoked
  | ProjectRemoved
  | ProjectPlaced
  | ProjectMoved
  | ProjectMoveFinished;

export const isProjectEvent = eventGuard<ProjectEvent>([
  'ProjectRoleGranted',
  'ProjectRoleRevoked',
  'ProjectRemoved',
  'ProjectPlaced',
  'ProjectMoved',
  'ProjectMoveFinished',
]);
