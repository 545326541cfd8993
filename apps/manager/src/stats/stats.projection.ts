import { Injectable } from '@nestjs/common';
import { DeployedContainer, isDeploymentEvent, isTrafficEvent, TrafficCounted } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../events/registered-projection';
import {
  DayRecord,
  OrgRecord,
  PendingRecord,
  ProjectDayRecord,
  StatsRecord,
  Totals,
  TrafficHourRecord,
} from './stats-records';

export const STATS = 'stats';

const NONE: Totals = { requested: 0, succeeded: 0, failed: 0, durationMs: 0 };

@Injectable()
export class StatsProjection extends RegisteredProjection<StatsRecord> {
  readonly name = STATS;
  readonly version = 3;
  readonly indexes = [{ key: { kind: 1 } }];

  async apply(event: StoredEvent, views: Views<StatsRecord>): Promise<void> {
    if (isTrafficEvent(event)) return countTraffic(views, event);
    if (!isDeploymentEvent(event)) return;
    const { position } = event;
    const at = event.metadata.time;
    if (event.type === 'DeploymentRequested') {
      const { deploymentId, org, repo } = event.data;
      const day = at.toISOString().slice(0, 10);
      views.put({ _id: `pending:${deploymentId}`, kind: 'pending', org, repo, day, requestedAt: at });
      await count(views, { _id: `day:${day}`, kind: 'day', day }, position, { requested: 1 });
      await count(views, { _id: `org:${org}`, kind: 'org', org }, position, { requested: 1 });
      await count(views, projectDay(org, repo, day), position, { requested: 1 });
      return;
    }
    if (event.type !== 'DeploymentSucceeded' && event.type !== 'DeploymentFailed') {
      // Stopped, started, restarted, removed: the repository's running containers as they stand now.
      const { org, repo, containers } = event.data;
      const id = `repository:${org}/${repo}` as const;
      const repository = await views.get(id);
      if (repository?.kind === 'repository' && repository.position >= position) return;
      if (event.type === 'DeploymentRemoved') views.delete(id);
      else views.put({ _id: id, kind: 'repository', org, repo, running: runningOf(containers), position });
      return;
    }
    const pending = (await views.get(`pending:${event.data.deploymentId}`)) as PendingRecord | undefined;
    if (!pending) return;
    const succeeded = event.type === 'DeploymentSucceeded';
    const outcome = {
      succeeded: succeeded ? 1 : 0,
      failed: succeeded ? 0 : 1,
      durationMs: at.getTime() - pending.requestedAt.getTime(),
    };
    const { org, repo, day } = pending;
    await count(views, { _id: `day:${day}`, kind: 'day', day }, position, outcome);
    await count(views, { _id: `org:${org}`, kind: 'org', org }, position, outcome);
    await count(views, projectDay(org, repo, day), position, outcome);
    if (event.type === 'DeploymentSucceeded') {
      const id = `repository:${org}/${repo}` as const;
      const repository = await views.get(id);
      // The latest success wins.
      if (!repository || repository.kind !== 'repository' || repository.position < position) {
        const running = runningOf(event.data.containers);
        views.put({ _id: id, kind: 'repository', org, repo, running, position });
      }
    }
    views.delete(pending._id);
  }
}

type Key =
  | Pick<DayRecord, '_id' | 'kind' | 'day'>
  | Pick<OrgRecord, '_id' | 'kind' | 'org'>
  | Pick<ProjectDayRecord, '_id' | 'kind' | 'org' | 'repo' | 'day'>;

const projectDay = (org: string, repo: string, day: string): Key => ({
  _id: `project-day:${org}/${repo}:${day}`,
  kind: 'project-day',
  org,
  repo,
  day,
});

/** Adds `change` to a totals record, unless the record has already counted this event. */
async function count(views: Views<StatsRecord>, key: Key, position: number, change: Partial<Totals>) {
  const current = ((await views.get(key._id)) ?? { ...key, ...NONE, position: 0 }) as
    DayRecord | OrgRecord | ProjectDayRecord;
  if (current.position >= position) return;
  views.put({
    ...current,
    requested: current.requested + (change.requested ?? 0),
    succeeded: current.succeeded + (change.succeeded ?? 0),
    failed: current.failed + (change.failed ?? 0),
    durationMs: current.durationMs + (change.durationMs ?? 0),
    position,
  });
}

/** Adds a Guardian's count of one host name's hour to its project's hour, unless it was added already. */
async function countTraffic(views: Views<StatsRecord>, event: TrafficCounted & { position: number }) {
  const { org, repo, hour, requests, serverErrors } = event.data;
  const _id = `traffic:${org}/${repo}:${hour}` as const;
  const current = ((await views.get(_id)) as TrafficHourRecord | undefined) ?? {
    _id,
    kind: 'traffic-hour' as const,
    org,
    repo,
    hour,
    requests: 0,
    serverErrors: 0,
    position: 0,
  };
  if (current.position >= event.position) return;
  views.put({
    ...current,
    requests: current.requests + requests,
    serverErrors: current.serverErrors + serverErrors,
    position: event.position,
  });
}

function runningOf(containers: DeployedContainer[]): number {
  return containers.filter((container) => container.state === 'running').length;
}
