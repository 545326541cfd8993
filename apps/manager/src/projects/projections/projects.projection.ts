import { Injectable } from '@nestjs/common';
import { IndexDescription } from 'mongodb';
import { isDeploymentEvent, isProjectEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { projectKey, ProjectPlacementView, ProjectView } from './project-view';

export const PROJECTS = 'projects';

/**
 * Projects: the roles granted on each repository, what was deployed from it last, and where it runs (with the
 * nodes it moved away from that still hold what it left); a removed one is gone.
 */
@Injectable()
export class ProjectsProjection extends RegisteredProjection<ProjectView> {
  readonly name = PROJECTS;
  readonly version = 4;
  readonly indexes: IndexDescription[] = [
    { key: { 'roles.memberId': 1 } },
    { key: { 'placement.node': 1 } },
    { key: { 'placement.leftOn': 1 } },
  ];

  async apply(event: StoredEvent, views: Views<ProjectView>): Promise<void> {
    const requested = isDeploymentEvent(event) && event.type === 'DeploymentRequested' ? event : null;
    const granting = isProjectEvent(event) ? event : null;
    const { org, repo } = (requested ?? granting)?.data ?? {};
    if (!org || !repo) return;
    const view = (await views.get(projectKey(org, repo))) ?? empty(org, repo, event.position);
    // An event seen again after a crash is not newer than what the view already shows.
    if (view.position >= event.position) return;
    const { position } = event;
    if (requested) {
      const { deploymentId, branch, composePath } = requested.data;
      const latest = { deploymentId, branch, composePath, requestedAt: event.metadata.time };
      views.put({ ...view, latest, position });
    } else if (granting?.type === 'ProjectRemoved') {
      views.delete(view._id);
    } else if (granting?.type === 'ProjectPlaced' || granting?.type === 'ProjectMoved') {
      const { by, at } = { by: event.metadata.actor, at: event.metadata.time };
      const placement: ProjectPlacementView =
        granting.type === 'ProjectPlaced'
          ? {
              node: granting.data.node,
              rule: granting.data.rule,
              reason: granting.data.reason,
              by,
              at,
              leftOn: [],
            }
          : {
              node: granting.data.to,
              rule: 'moved',
              reason: `moved from ${granting.data.from}`,
              by,
              at,
              leftOn: [
                ...(view.placement?.leftOn ?? []).filter((node) => node !== granting.data.to),
                granting.data.from,
              ],
            };
      views.put({ ...view, placement, position });
    } else if (granting?.type === 'ProjectMoveFinished') {
      const { placement } = view;
      const leftOn = placement?.leftOn.filter((node) => node !== granting.data.from) ?? [];
      views.put({ ...view, placement: placement && { ...placement, leftOn }, position });
    } else if (granting) {
      const others = view.roles.filter(({ memberId }) => memberId !== granting.data.memberId);
      if (granting.type === 'ProjectRoleRevoked') {
        views.put({ ...view, roles: others, position });
        return;
      }
      const { memberId, member, role } = granting.data;
      const at = event.metadata.time;
      const granted = { memberId, member, role, grantedBy: event.metadata.actor, grantedAt: at };
      views.put({ ...view, roles: [...others, granted], position });
    }
  }
}

function empty(org: string, repo: string, since: number): ProjectView {
  return {
    _id: projectKey(org, repo),
    org,
    repo,
    since,
    roles: [],
    latest: null,
    placement: null,
    position: 0,
  };
}
