import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { keyScope } from '../../keys/key-scope';
import { DataKeys } from '../../keys/data-keys';
import { ManagerConfig } from '../../config/manager-config';
import { ReadModels } from '../../events/read-models';
import {
  NotificationChannelView,
  signingContext,
  targetContext,
} from '../projections/notification-channel-view';
import { NOTIFICATION_CHANNELS } from '../projections/notification-channels.projection';
import { post, PostResult } from './http-post';
import { messageFor } from './message-formats';
import { Delivery, NotificationDeliveries } from './notification-deliveries';
import { NotificationTargets } from './notification-targets';
import { SerialLoop } from './serial-loop';

/** Deliveries attempted at once. */
const PARALLEL = 4;
/** How long an attempt holds its delivery: a Manager that dies mid-way leaves it due again after this. */
const LEASE_MS = 60_000;
const MAX_RETRY_MS = 3600_000;
/**
 * Answers that say the webhook is gone or the message will never be taken (Discord answers 404 for a deleted
 * webhook, 401 for a wrong token): trying again would only look like an attack on the receiver.
 */
const PERMANENT = new Set([400, 401, 403, 404, 410, 413, 422]);
const PRUNE_EVERY_MS = 3600_000;

/**
 * Sends what the outbox queued, each delivery on its own: a failure (an error, a timeout, any answer but 2xx) is
 * tried again after NOTIFICATION_RETRY_MS, doubled per attempt up to an hour, with jitter (or later, when the
 * receiver's Retry-After says so), until it is NOTIFICATION_GIVE_UP_MS old; then it is given up as failed, at
 * once for an answer that says it will never be taken (PERMANENT). Either is loud: an error in the log, and in
 * the channel's summary on the API and the dashboard. The URL is opened from its seal for the attempt only.
 */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSender.name);
  private readonly loop = new SerialLoop(
    () => this.sendDue(),
    (error) => this.logger.error(`sending notifications: ${error.message}`),
  );
  private prunedAt = 0;

  constructor(
    private readonly config: ManagerConfig,
    private readonly readModels: ReadModels,
    private readonly deliveries: NotificationDeliveries,
    private readonly targets: NotificationTargets,
    private readonly keys: DataKeys,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(Math.min(this.config.NOTIFICATION_RETRY_MS, 1000));
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Looks for due deliveries now (the outbox calls it when it queued some). */
  wake(): void {
    this.loop.run();
  }

  /** Attempts what is due, PARALLEL at once, each slot taking the next as soon as its attempt ends. */
  private async sendDue(): Promise<void> {
    await this.readModels.started;
    const attempts = new Set<Promise<void>>();
    for (;;) {
      while (attempts.size >= PARALLEL) await Promise.race(attempts);
      const now = new Date();
      const delivery = await this.deliveries.claimNext(now, new Date(now.getTime() + LEASE_MS));
      if (!delivery) break;
      const attempt = this.attempt(delivery).finally(() => attempts.delete(attempt));
      attempts.add(attempt);
    }
    await Promise.all(attempts);
    const now = Date.now();
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      await this.deliveries.prune(new Date(now));
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const channel = await this.readModels
      .collection<NotificationChannelView>(NOTIFICATION_CHANNELS)
      .findOne({ _id: delivery.channelId });
    if (!channel) return this.deliveries.cancel(delivery._id, 'the channel was removed');
    const result = await this.send(channel, delivery).catch((error: Error): PostResult => ({
      ok: false,
      status: null,
      error: error.message,
    }));
    const at = new Date();
    if (result.ok) return this.deliveries.delivered(delivery._id, result.status, at);
    const attempts = delivery.attempts + 1;
    const about = `notification ${delivery._id} (${delivery.notice.title}) to channel "${channel.name}"`;
    const age = at.getTime() - delivery.createdAt.getTime();
    const final = result.status !== null && PERMANENT.has(result.status);
    if (final || age >= this.config.NOTIFICATION_GIVE_UP_MS) {
      const why = final ? 'the receiver will not take it' : `given up after ${attempts} attempts`;
      this.logger.error(`${about} failed, ${why}: ${result.error}`);
      return this.deliveries.attemptFailed(delivery._id, result, at, null);
    }
    const backoff = Math.min(this.config.NOTIFICATION_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
    const wait = Math.max(backoff * (0.8 + 0.4 * Math.random()), result.retryAfterMs ?? 0);
    const next = new Date(at.getTime() + wait);
    this.logger.warn(
      `${about} failed (attempt ${attempts}), tried again at ${next.toISOString()}: ${result.error}`,
    );
    await this.deliveries.attemptFailed(delivery._id, result, at, next);
  }

  private async send(channel: NotificationChannelView, delivery: Delivery): Promise<PostResult> {
    const scope = keyScope(channel);
    const url = this.targets.check(
      await this.keys.unseal(scope, channel.target, targetContext(channel.channelId)),
      channel.kind,
    );
    const secret = channel.signingSecret
      ? await this.keys.unseal(scope, channel.signingSecret, signingContext(channel.channelId))
      : null;
    const message = messageFor(channel.kind, delivery._id, delivery.notice, secret);
    return post(url, message, this.targets.lookupFor(url.hostname));
  }
}
