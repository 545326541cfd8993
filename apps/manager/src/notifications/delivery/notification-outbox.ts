import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Db } from 'mongodb';
import { EventStore, StoredEvent } from '@testausdeploy/events';
import { ReadModels } from '../../events/read-models';
import { Notice } from '../notice';
import { Notices } from '../notices';
import { NotificationChannelView } from '../projections/notification-channel-view';
import { NOTIFICATION_CHANNELS } from '../projections/notification-channels.projection';
import { Delivery, NotificationDeliveries } from './notification-deliveries';
import { NotificationSender } from './notification-sender';
import { SerialLoop } from './serial-loop';

const BATCH = 200;
const POLL_MS = 1000;

interface Checkpoint {
  _id: 'outbox';
  position: number;
}

/**
 * Reads the event log after its own checkpoint and queues a delivery for each channel that chose what an event
 * tells; the checkpoint moves only once they are queued, so a restart takes the same events again and queues
 * nothing twice. It follows the log beside the deploys, never in their way. A first start begins at the log's
 * head: channels hear of what happens after they exist, not of the past.
 */
@Injectable()
export class NotificationOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationOutbox.name);
  private position = -1;
  private offered: StoredEvent[] = [];
  private readonly loop = new SerialLoop(
    () => this.drain(),
    (error) => this.logger.error(`queueing notifications: ${error.message}`),
  );
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly notices: Notices,
    private readonly deliveries: NotificationDeliveries,
    private readonly sender: NotificationSender,
  ) {}

  /** Not awaited: the channels are a read model, which starts with the app. */
  onApplicationBootstrap(): void {
    this.unsubscribe = this.store.onAppend((events) => {
      this.offered.push(...events);
      this.loop.run();
    });
    this.loop.start(POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /** Resolves once every event up to `position` has had its deliveries queued (for tests and benchmarks). */
  async caughtUp(position: number): Promise<void> {
    while (this.position < position) {
      this.loop.run();
      await (this.loop.current ?? new Promise((resolve) => setTimeout(resolve, 20)));
    }
  }

  private async drain(): Promise<void> {
    if (this.position < 0) await this.start();
    for (;;) {
      const events = await this.next();
      if (events.length === 0) return;
      for (const event of events) await this.take(event);
      this.position = events[events.length - 1].position;
      await this.checkpoints().updateOne({ _id: 'outbox' }, { $max: { position: this.position } });
    }
  }

  private async start(): Promise<void> {
    await this.readModels.started;
    await this.deliveries.init();
    const head = await this.store.headPosition();
    await this.checkpoints().updateOne(
      { _id: 'outbox' },
      { $setOnInsert: { position: head } },
      { upsert: true },
    );
    this.position = (await this.checkpoints().findOne({ _id: 'outbox' }))?.position ?? head;
  }

  /** The events after the checkpoint: those this process appended, as offered, or else read from the log. */
  private async next(): Promise<StoredEvent[]> {
    this.offered = this.offered.filter(({ position }) => position > this.position);
    if (this.offered[0]?.position === this.position + 1) {
      const taken: StoredEvent[] = [];
      for (const event of this.offered) {
        if (event.position !== this.position + 1 + taken.length || taken.length === BATCH) break;
        taken.push(event);
      }
      return taken;
    }
    return this.store.readAll(this.position, BATCH);
  }

  private async take(event: StoredEvent): Promise<void> {
    const notice = await this.notices.of(event);
    if (!notice) return;
    // The channels as of this event: a channel added just before it must be in the read model already.
    await this.readModels.waitFor(event.position);
    const channels = await this.channelsFor(notice, event.position);
    const now = new Date();
    const deliveries: Delivery[] = channels.map(({ channelId }) => ({
      _id: `${event.position}-${channelId}`,
      channelId,
      position: event.position,
      notice,
      state: 'pending',
      attempts: 0,
      createdAt: now,
      nextAt: now,
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
    }));
    await this.deliveries.enqueue(deliveries);
    if (deliveries.length > 0) this.sender.wake();
  }

  /** The server's channels and the notice's project's that chose its topic and existed before the event. */
  private channelsFor(notice: Notice, position: number): Promise<NotificationChannelView[]> {
    const channels = this.readModels.collection<NotificationChannelView>(NOTIFICATION_CHANNELS);
    if (notice.topic === 'test') return channels.find({ _id: notice.channelId }).toArray();
    const whose = notice.org ? [{ org: null }, { org: notice.org, repo: notice.repo }] : [{ org: null }];
    return channels.find({ $or: whose, topics: notice.topic, since: { $lt: position } }).toArray();
  }

  private checkpoints() {
    return this.db.collection<Checkpoint>('notification_outbox');
  }
}
