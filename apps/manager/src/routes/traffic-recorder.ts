import { Injectable, Logger } from '@nestjs/common';
import { ProjectTraffic } from '@testausdeploy/domain';
import { ConcurrencyError } from '@testausdeploy/events';
import { ProxyReport, ProxyState } from '@testausdeploy/icp';
import { EventRecorder } from '../events/event-recorder';

/** Hours recorded this long ago are forgotten here (a Guardian reports its last 24). */
const REMEMBERED_MS = 26 * 60 * 60_000;

/**
 * Records the hourly request counts each Guardian reports (`hours`) as `TrafficCounted` events, each hour of a
 * host name once per Guardian, on the stream of that day (ProjectTraffic) of the project whose route held the host
 * name when the requests were counted; the stats read model sums them per project and hour. A project that no
 * longer has routes is not credited.
 */
@Injectable()
export class TrafficRecorder {
  private readonly logger = new Logger(TrafficRecorder.name);
  /** `guardian host hour owner` of the hours recorded (or found recorded) by this process. */
  private readonly recorded = new Map<string, number>();

  constructor(private readonly recorder: EventRecorder) {}

  async record(guardian: string, state: ProxyState, hours: ProxyReport['hours']): Promise<void> {
    const routed = new Set(state.routes.map(({ owner }) => owner));
    const streams = new Map<string, { org: string; repo: string; day: string; hours: typeof hours }>();
    for (const hour of hours) {
      const project = /^project:([^/]+)\/(.+)$/.exec(routed.has(hour.owner) ? hour.owner : '');
      if (!project || this.recorded.has(key(guardian, hour))) continue;
      const [, org, repo] = project;
      const day = hour.hour.slice(0, 10);
      const stream = ProjectTraffic.streamId(org, repo, day);
      const entry = streams.get(stream) ?? { org, repo, day, hours: [] };
      entry.hours.push(hour);
      streams.set(stream, entry);
    }
    for (const [stream, { org, repo, day, hours: counted }] of streams) {
      await this.save(stream, () => new ProjectTraffic(org, repo, day), guardian, counted).then(
        () => counted.forEach((hour) => this.recorded.set(key(guardian, hour), Date.now())),
        (error: Error) => this.logger.error(`recording the requests of ${org}/${repo}: ${error.message}`),
      );
    }
    for (const [hour, at] of this.recorded) if (Date.now() - at > REMEMBERED_MS) this.recorded.delete(hour);
  }

  private async save(
    stream: string,
    fresh: () => ProjectTraffic,
    guardian: string,
    hours: ProxyReport['hours'],
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const traffic = await this.recorder.load(fresh(), stream);
      for (const { host, hour, requests, serverErrors } of hours)
        traffic.count({ guardian, host, hour, requests, serverErrors });
      try {
        if (traffic.pendingEvents.length > 0)
          await this.recorder.saveAs(stream, traffic, `guardian:${guardian}`);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt > 0) throw error;
      }
    }
  }
}

function key(guardian: string, { host, hour, owner }: { host: string; hour: string; owner: string }): string {
  return `${guardian} ${host} ${hour} ${owner}`;
}
