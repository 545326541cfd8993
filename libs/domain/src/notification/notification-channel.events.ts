import { DomainEvent } from '../aggregate-root';
import { eventGuard } from '../event-guard';
import { Sealed } from '../keys/data-key.events';

/** What a channel may be told of. Project channels hear only of their project: the PROJECT_TOPICS. */
export const NOTIFICATION_TOPICS = [
  'deployment.succeeded',
  'deployment.failed',
  'deployment.rolledBack',
  'polling.backedOff',
  'certificate.failed',
  'backup.succeeded',
  'backup.failed',
  'firewall.repaired',
  'node.unreachable',
] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];
export const PROJECT_TOPICS: readonly NotificationTopic[] = NOTIFICATION_TOPICS.filter(
  (topic) =>
    topic.startsWith('deployment.') || topic.startsWith('polling.') || topic.startsWith('certificate.'),
);

/** How a channel's messages are shaped: Discord's embeds, Slack's blocks, or signed JSON. */
export const CHANNEL_KINDS = ['discord', 'slack', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Whose a channel is: the whole server's (org and repo null, admins only) or one project's. */
export interface ChannelScope {
  org: string | null;
  repo: string | null;
}

/**
 * A channel was set up. Its URL is a secret (a Discord or Slack webhook's URL is its credential), so the event
 * holds it sealed, with only its host in clear; a generic webhook's signing secret likewise.
 */
export type NotificationChannelAdded = DomainEvent<
  'NotificationChannelAdded',
  ChannelScope & {
    channelId: string;
    kind: ChannelKind;
    name: string;
    topics: NotificationTopic[];
    host: string;
    target: Sealed;
    signingSecret: Sealed | null;
  }
>;

/** Its name, topics or URL changed; what is absent stays as it was. */
export type NotificationChannelChanged = DomainEvent<
  'NotificationChannelChanged',
  ChannelScope & {
    channelId: string;
    name?: string;
    topics?: NotificationTopic[];
    host?: string;
    target?: Sealed;
  }
>;

export type NotificationChannelRemoved = DomainEvent<
  'NotificationChannelRemoved',
  ChannelScope & { channelId: string }
>;

/** Someone asked for a test message, to see the channel work: it is delivered as any other. */
export type NotificationTestRequested = DomainEvent<
  'NotificationTestRequested',
  ChannelScope & { channelId: string; requestedAt: string }
>;

export type NotificationChannelEvent =
  | NotificationChannelAdded
  | NotificationChannelChanged
  | NotificationChannelRemoved
  | NotificationTestRequested;

export const isNotificationChannelEvent = eventGuard<NotificationChannelEvent>([
  'NotificationChannelAdded',
  'NotificationChannelChanged',
  'NotificationChannelRemoved',
  'NotificationTestRequested',
]);
