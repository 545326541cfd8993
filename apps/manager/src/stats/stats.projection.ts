import { Injectable } from '@nestjs/common';
import { AnyBulkWriteOperation, Collection } from 'mongodb';
import { DeploymentEvent } from '@testausdeploy/domain';
import { ensureIndexes, StoredEvent } from '@testausdeploy/events';
import { RegisteredProjection } from '../events/registered-projection';
import { DeploymentRecord, StatsRecord } from './stats-records';

export const STATS = 'stats';

@Injectable()
export class StatsProjection extends RegisteredProjection<StatsRecord> {
  readonly name = STATS;

  async prepare(target: Collection<StatsRecord>): Promise<void> {
    await ensureIndexes(target, [{ key: { kind: 1, day: 1 } }, { key: { kind: 1, org: 1 } }]);
  }

  async apply(target: Collection<StatsRecord>, stored: StoredEvent[]): Promise<void> {
    const events = stored as unknown as (DeploymentEvent & StoredEvent)[];
    const requested = await this.requestsOf(target, events);
    const operations: AnyBulkWriteOperation<StatsRecord>[] = [];
    for (const event of events) {
      const at = event.metadata.time;
      if (event.type === 'DeploymentRequested') {
        const record = requested.get(event.data.deploymentId) as DeploymentRecord;
        operations.push({
          updateOne: { filter: { _id: record._id }, update: { $setOnInsert: record }, upsert: true },
        });
        continue;
      }
      if (event.type !== 'DeploymentSucceeded' && event.type !== 'DeploymentFailed') continue;
      const request = requested.get(event.data.deploymentId);
      if (!request) continue;
      const succeeded = event.type === 'DeploymentSucceeded';
      const durationMs = at.getTime() - request.requestedAt.getTime();
      operations.push({
        updateOne: {
          filter: { _id: request._id },
          update: { $set: { succeeded: succeeded ? 1 : 0, failed: succeeded ? 0 : 1, durationMs } },
        },
      });
      if (event.type === 'DeploymentSucceeded') {
        const repository = `repository:${request.org}/${request.repo}`;
        const running = event.data.containers.filter((container) => container.state === 'running').length;
        operations.push({
          updateOne: {
            // The latest success wins: events arrive in log order (see docs/events.md).
            filter: { _id: repository },
            update: { $set: { kind: 'repository', org: request.org, running } },
            upsert: true,
          },
        });
      }
    }
    if (operations.length > 0) await target.bulkWrite(operations, { ordered: true });
  }

  /** The request records the batch's outcomes refer to: from this batch, else from earlier ones. */
  private async requestsOf(target: Collection<StatsRecord>, events: DeploymentEvent[]) {
    const records = new Map<string, DeploymentRecord>();
    for (const event of events as (DeploymentEvent & StoredEvent)[]) {
      if (event.type !== 'DeploymentRequested') continue;
      const at = event.metadata.time;
      records.set(event.data.deploymentId, {
        _id: event.data.deploymentId,
        kind: 'deployment',
        org: event.data.org,
        repo: event.data.repo,
        day: at.toISOString().slice(0, 10),
        requestedAt: at,
        succeeded: 0,
        failed: 0,
        durationMs: 0,
      });
    }
    const missing = events
      .filter((event) => event.type !== 'DeploymentRequested' && !records.has(event.data.deploymentId))
      .map((event) => event.data.deploymentId);
    // One look-up by key each: a filter on more than the key scans the collection on some servers.
    const found = await Promise.all([...new Set(missing)].map((id) => target.findOne({ _id: id })));
    for (const record of found) if (record?.kind === 'deployment') records.set(record._id, record);
    return records;
  }
}
