import { AggregateRoot } from '../aggregate-root';
import { Conflict, NotFound } from '../errors';
import {
  ChannelScope,
  NotificationChannelAdded,
  NotificationChannelChanged,
  NotificationChannelEvent,
} from './notification-channel.events';

type Added = NotificationChannelAdded['data'];
type Change = Omit<NotificationChannelChanged['data'], 'channelId' | 'org' | 'repo'>;

/** How often a channel may be sent a test message: enough to try a fix, too little to flood a receiver. */
export const TEST_EVERY_MS = 30_000;

/** Where notifications go: one stream per channel, under the scope it belongs to. */
export class NotificationChannel extends AggregateRoot<NotificationChannelEvent> {
  private live = false;
  private testedAt: number | null = null;

  constructor(
    readonly channelId: string,
    readonly scope: ChannelScope,
  ) {
    super();
  }

  /** `notification-channel-global/<id>`, or `notification-channel-<org>/<repo>/<id>` for a project's. */
  static streamId(channelId: string, { org, repo }: ChannelScope): string {
    return `${NotificationChannel.streamPrefix({ org, repo })}${channelId}`;
  }

  /** What every stream of the scope's channels starts with. */
  static streamPrefix({ org, repo }: ChannelScope): string {
    return `notification-channel-${org && repo ? `${org}/${repo}` : 'global'}/`;
  }

  add(channel: Omit<Added, 'channelId' | 'org' | 'repo'>): void {
    this.record({ type: 'NotificationChannelAdded', data: { ...this.ids(), ...channel } });
  }

  change(change: Change): void {
    this.existing();
    this.record({ type: 'NotificationChannelChanged', data: { ...this.ids(), ...change } });
  }

  remove(): void {
    this.existing();
    this.record({ type: 'NotificationChannelRemoved', data: this.ids() });
  }

  test(now: Date): void {
    this.existing();
    const since = this.testedAt === null ? Infinity : now.getTime() - this.testedAt;
    if (since < TEST_EVERY_MS) {
      const wait = Math.ceil((TEST_EVERY_MS - since) / 1000);
      throw new Conflict(`a test message was asked for just now: ask again in ${wait} s`);
    }
    this.record({
      type: 'NotificationTestRequested',
      data: { ...this.ids(), requestedAt: now.toISOString() },
    });
  }

  protected apply(event: NotificationChannelEvent): void {
    if (event.type === 'NotificationChannelAdded') this.live = true;
    else if (event.type === 'NotificationChannelRemoved') this.live = false;
    else if (event.type === 'NotificationTestRequested') this.testedAt = Date.parse(event.data.requestedAt);
  }

  private existing(): void {
    if (!this.live) throw new NotFound(`notification channel ${this.channelId} does not exist`);
  }

  private ids() {
    return { channelId: this.channelId, org: this.scope.org, repo: this.scope.repo };
  }
}
