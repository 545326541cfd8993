import { Injectable } from '@nestjs/common';
import { ChannelKind, NotificationTopic } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ProjectAccessLevel } from '../projects/project-access';
import { ChannelAccess } from './channel-access';
import { DeliveryState, DeliverySummary, NotificationDeliveries } from './delivery/notification-deliveries';
import { NotificationChannelView } from './projections/notification-channel-view';

/** A channel as the API shows it: never its URL (only the host) or signing secret. */
export interface ChannelSummary {
  id: string;
  name: string;
  kind: ChannelKind;
  /** `org/repo`, or null for one of the whole server. */
  project: string | null;
  /** What the caller may do with it: a viewer of its project only look. */
  access: ProjectAccessLevel;
  topics: NotificationTopic[];
  host: string;
  addedBy: string;
  addedAt: Date;
  changedAt: Date;
  deliveries: DeliverySummary;
}

/** One message of a channel's delivery log. */
export interface DeliveryEntry {
  id: string;
  topic: string;
  title: string;
  state: DeliveryState;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** Reads channels and their deliveries for the API, each caller those they may see. */
@Injectable()
export class ChannelDirectory {
  constructor(
    private readonly access: ChannelAccess,
    private readonly deliveries: NotificationDeliveries,
  ) {}

  async list(caller: Caller): Promise<ChannelSummary[]> {
    return Promise.all((await this.access.visible(caller)).map((view) => this.summary(view)));
  }

  async get(caller: Caller, channelId: string): Promise<ChannelSummary> {
    return this.summary(await this.access.channel(caller, channelId));
  }

  async deliveryLog(caller: Caller, channelId: string, state: DeliveryState | undefined, limit: number) {
    await this.access.channel(caller, channelId);
    const found = await this.deliveries.ofChannel(channelId, state, limit);
    return found.map((delivery): DeliveryEntry => ({
      id: delivery._id,
      topic: delivery.notice.topic,
      title: delivery.notice.title,
      state: delivery.state,
      attempts: delivery.attempts,
      createdAt: delivery.createdAt,
      nextAttemptAt: delivery.state === 'pending' ? delivery.nextAt : null,
      lastAttemptAt: delivery.lastAttemptAt,
      lastStatus: delivery.lastStatus,
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt,
    }));
  }

  private async summary(
    view: NotificationChannelView & { access: ProjectAccessLevel },
  ): Promise<ChannelSummary> {
    return {
      id: view.channelId,
      name: view.name,
      kind: view.kind,
      project: view.org && view.repo ? `${view.org}/${view.repo}` : null,
      access: view.access,
      topics: view.topics,
      host: view.host,
      addedBy: view.addedBy,
      addedAt: view.addedAt,
      changedAt: view.changedAt,
      deliveries: await this.deliveries.summary(view.channelId),
    };
  }
}
