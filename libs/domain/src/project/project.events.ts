import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';

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

export type ProjectEvent = ProjectRoleGranted | ProjectRoleRevoked;

export const isProjectEvent = eventGuard<ProjectEvent>(['ProjectRoleGranted', 'ProjectRoleRevoked']);
