import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { Notice } from '../notice';

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled';

/**
 * One message to one channel. `_id` is the message's stable id (the event's position and the channel), sent
 * with every attempt so a receiver can drop a repeat: delivery is at least once.
 */
export interface Delivery {
  _id: string;
  channelId: string;
  position: number;
  notice: Notice;
  state: DeliveryState;
  attempts: number;
  createdAt: Date;
  /** When the next attempt is due (while pending); a claimed one's lease ends then. */
  nextAt: Date;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** How a channel's deliveries stand. */
export interface DeliverySummary {
  pending: number;
  /** Pending ones that failed at least once and wait for their next attempt. */
  retrying: number;
  delivered: number;
  /** Given up: after retrying for NOTIFICATION_GIVE_UP_MS, or at once when the receiver said it never will. */
  failed: number;
  /** Of those, the ones given up after the newest delivery: while any is, the channel is failing. */
  failedSinceDelivered: number;
  lastError: { at: Date; error: string } | null;
}

/** Delivered and cancelled messages are kept for the delivery log this long, failed ones longer. */
const KEEP_DELIVERED_MS = 14 * 24 * 3600_000;
const KEEP_FAILED_MS = 30 * 24 * 3600_000;

/**
 * The outbox of notifications: not events (an attempt is nobody's action, and the log would fill with retries)
 * but a collection of their own, written by the outbox and the sender only.
 */
@Injectable()
export class NotificationDeliveries {
  readonly collection: Collection<Delivery>;

  constructor(db: Db) {
    this.collection = db.collection<Delivery>('notification_deliveries');
  }

  async init(): Promise<void> {
    await this.collection.createIndexes([
      { key: { state: 1, nextAt: 1 } },
      { key: { channelId: 1, createdAt: -1 } },
    ]);
  }

  /** Adds what is not there yet: an event taken again after a restart changes nothing already queued. */
  async enqueue(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.collection.bulkWrite(
      deliveries.map((delivery) => ({
        updateOne: { filter: { _id: delivery._id }, update: { $setOnInsert: delivery }, upsert: true },
      })),
      { ordered: false },
    );
  }

  /**
   * Takes the delivery due longest for one attempt, until `leaseUntil`: no other sender (or Manager) takes it
   * meanwhile, and one that dies mid-way leaves it due again then.
   */
  claimNext(now: Date, leaseUntil: Date): Promise<Delivery | null> {
    return this.collection.findOneAndUpdate(
      { state: 'pending', nextAt: { $lte: now } },
      { $set: { nextAt: leaseUntil } },
      { sort: { nextAt: 1 }, returnDocument: 'after' },
    );
  }

  async delivered(id: string, status: number, now: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id },
      {
        $set: {
          state: 'delivered',
          deliveredAt: now,
          lastAttemptAt: now,
          lastStatus: status,
          lastError: null,
        },
        $inc: { attempts: 1 },
      },
    );
  }

  /** An attempt failed: tried again at `nextAt`, or given up (null) as failed. */
  async attemptFailed(
    id: string,
    failure: { status: number | null; error: string },
    now: Date,
    nextAt: Date | null,
  ) {
    await this.collection.updateOne(
      { _id: id },
      {
        $set: {
          ...(nextAt ? { nextAt } : { state: 'failed' }),
          lastAttemptAt: now,
          lastStatus: failure.status,
          lastError: failure.error,
        },
        $inc: { attempts: 1 },
      },
    );
  }

  async cancel(id: string, reason: string): Promise<void> {
    await this.collection.updateOne({ _id: id }, { $set: { state: 'cancelled', lastError: reason } });
  }

  ofChannel(channelId: string, state: DeliveryState | undefined, limit: number): Promise<Delivery[]> {
    return this.collection
      .find({ channelId, ...(state ? { state } : {}) })
      .sort({ createdAt: -1, position: -1 })
      .limit(limit)
      .toArray();
  }

  async summary(channelId: string): Promise<DeliverySummary> {
    const count = (filter: object) => this.collection.countDocuments({ channelId, ...filter });
    const newest = (filter: object, by: keyof Delivery) =>
      this.collection
        .find({ channelId, ...filter })
        .sort({ [by]: -1 })
        .limit(1)
        .next();
    const [pending, retrying, delivered, failed, last, lastDelivered] = await Promise.all([
      count({ state: 'pending' }),
      count({ state: 'pending', attempts: { $gt: 0 } }),
      count({ state: 'delivered' }),
      count({ state: 'failed' }),
      newest({ lastError: { $ne: null }, state: { $in: ['pending', 'failed'] } }, 'lastAttemptAt'),
      newest({ state: 'delivered' }, 'deliveredAt'),
    ]);
    const failedSinceDelivered = lastDelivered?.deliveredAt
      ? await count({ state: 'failed', lastAttemptAt: { $gt: lastDelivered.deliveredAt } })
      : failed;
    const lastError =
      last?.lastAttemptAt && last.lastError ? { at: last.lastAttemptAt, error: last.lastError } : null;
    return { pending, retrying, delivered, failed, failedSinceDelivered, lastError };
  }

  async prune(now: Date): Promise<void> {
    const before = (ms: number) => new Date(now.getTime() - ms);
    await this.collection.deleteMany({
      $or: [
        { state: { $in: ['delivered', 'cancelled'] }, createdAt: { $lt: before(KEEP_DELIVERED_MS) } },
        { state: 'failed', createdAt: { $lt: before(KEEP_FAILED_MS) } },
      ],
    });
  }
}
