import { Injectable } from '@nestjs/common';
import { AnyBulkWriteOperation, Collection } from 'mongodb';
import { DeploymentEvent } from '@testausdeploy/domain';
import { ensureIndexes, StoredEvent } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { DeploymentView } from './deployment-view';

export const DEPLOYMENTS = 'deployments';

@Injectable()
export class DeploymentsProjection extends RegisteredProjection<DeploymentView> {
  readonly name = DEPLOYMENTS;

  async prepare(target: Collection<DeploymentView>): Promise<void> {
    await ensureIndexes(target, [{ key: { id: 1 }, unique: true }, { key: { requestedAt: -1 } }]);
  }

  async apply(target: Collection<DeploymentView>, events: StoredEvent[]): Promise<void> {
    const operations = events.flatMap((event) => this.operation(event));
    if (operations.length > 0) await target.bulkWrite(operations, { ordered: true });
  }

  private operation(stored: StoredEvent): AnyBulkWriteOperation<DeploymentView>[] {
    const event = stored as unknown as DeploymentEvent;
    const { position } = stored;
    const at = stored.metadata.time;
    switch (event.type) {
      case 'DeploymentRequested': {
        const { deploymentId, requestedBy, ...source } = event.data;
        const view: DeploymentView = {
          ...source,
          id: deploymentId,
          status: 'requested',
          commit: null,
          composeDigest: null,
          reason: null,
          containers: [],
          requestedBy,
          requestedAt: at,
          updatedAt: at,
          position,
        };
        return [
          { updateOne: { filter: { id: deploymentId }, update: { $setOnInsert: view }, upsert: true } },
        ];
      }
      case 'DeploymentSucceeded': {
        const { deploymentId, commit, composeDigest, containers } = event.data;
        const change = { status: 'succeeded' as const, commit, composeDigest, containers, updatedAt: at };
        return [advance(deploymentId, position, change)];
      }
      case 'DeploymentFailed':
        return [
          advance(event.data.deploymentId, position, {
            status: 'failed',
            reason: event.data.reason,
            updatedAt: at,
          }),
        ];
      default:
        return [];
    }
  }
}

/**
 * Filters on the indexed key alone (any further condition makes some servers scan the collection). Events arrive
 * in log order, and a batch delivered again after a crash is the same suffix in the same order, so the view
 * ends in the same state without a "newer than" guard.
 */
function advance(
  id: string,
  position: number,
  change: Partial<DeploymentView>,
): AnyBulkWriteOperation<DeploymentView> {
  return { updateOne: { filter: { id }, update: { $set: { ...change, position } } } };
}
