import { z } from 'zod';
import { CHANNEL_KINDS, NOTIFICATION_TOPICS } from '@testausdeploy/domain';
import { ChannelSummary, DeliveryEntry } from '../../notifications/channel-directory';
import { DELIVERY_STATES } from '../../notifications/dto/notification-channel.dto';
import { describing, time } from './described';

const count = z.number().int().min(0);

export const notificationChannel = describing<ChannelSummary>()(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    project: z.string().nullable(),
    access: z.enum(['admin', 'maintainer', 'viewer']),
    topics: z.array(z.enum(NOTIFICATION_TOPICS)),
    host: z.string(),
    addedBy: z.string(),
    addedAt: time,
    changedAt: time,
    deliveries: z.strictObject({
      pending: count,
      retrying: count,
      delivered: count,
      failed: count,
      failedSinceDelivered: count,
      lastError: z.strictObject({ at: time, error: z.string() }).nullable(),
    }),
  }),
);

/** What adding a channel answers: a generic webhook's signing secret, shown this once (null for the others). */
export const addedNotificationChannel = notificationChannel.extend({ signingSecret: z.string().nullable() });

export const delivery = describing<DeliveryEntry>()(
  z.strictObject({
    id: z.string(),
    topic: z.string(),
    title: z.string(),
    state: z.enum(DELIVERY_STATES),
    attempts: count,
    createdAt: time,
    nextAttemptAt: time.nullable(),
    lastAttemptAt: time.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: time.nullable(),
  }),
);

export const testQueued = z.strictObject({ queued: z.literal(true) });
