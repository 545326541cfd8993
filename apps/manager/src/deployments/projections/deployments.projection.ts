import { Injectable } from '@nestjs/common';
import { DeploymentLifecycleEvent, DeploymentStatus, isDeploymentEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { DeploymentView } from './deployment-view';

export const DEPLOYMENTS = 'deployments';

const STATUS_AFTER: Record<DeploymentLifecycleEvent['type'], DeploymentStatus> = {
  DeploymentStopped: 'stopped',
  DeploymentStarted: 'succeeded',
  DeploymentRestarted: 'succeeded',
  DeploymentRemoved: 'removed',
};

@Injectable()
export class DeploymentsProjection extends RegisteredProjection<DeploymentView> {
  readonly name = DEPLOYMENTS;
  readonly version = 8;
  readonly indexes = [{ key: { requestedAt: -1 } }];

  async apply(event: StoredEvent, views: Views<DeploymentView>): Promise<void> {
    if (!isDeploymentEvent(event)) return;
    const { position } = event;
    const at = event.metadata.time;
    const view = await views.get(event.data.deploymentId);
    if (event.type === 'DeploymentRequested') {
      if (view) return;
      const { deploymentId, requestedBy, pinned, configurationVersion = 0, moveTo, ...source } = event.data;
      views.put({
        _id: deploymentId,
        ...source,
        id: deploymentId,
        configurationVersion,
        status: 'requested',
        commit: null,
        composeDigest: null,
        reason: null,
        containers: [],
        diskBytes: null,
        handover: null,
        requestedBy,
        rollbackOf: pinned?.rollbackOf ?? null,
        moveTo: moveTo ?? null,
        requestedAt: at,
        requestedPosition: position,
        updatedAt: at,
        position,
      });
      return;
    }
    // An outcome seen again after a crash is not newer than what the view already shows.
    if (!view || view.position >= position) return;
    if (event.type === 'DeploymentSucceeded') {
      const { commit, composeDigest, containers, diskBytes = null, handover = null } = event.data;
      const change = { status: 'succeeded' as const, commit, composeDigest, containers, diskBytes, handover };
      views.put({ ...view, ...change, updatedAt: at, position });
    } else if (event.type === 'DeploymentFailed') {
      const { reason, commit = view.commit } = event.data;
      views.put({ ...view, status: 'failed', reason, commit, updatedAt: at, position });
    } else {
      const { containers } = event.data;
      views.put({ ...view, status: STATUS_AFTER[event.type], containers, updatedAt: at, position });
    }
  }
}
