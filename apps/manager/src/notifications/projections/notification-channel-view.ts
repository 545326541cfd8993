import { NotificationChannelAdded } from '@testausdeploy/domain';

/**
 * A channel as the notifications read model holds it, `_id` = its id. Its URL and signing secret stay sealed
 * here as in the log; only the sender opens them, for the moment of a delivery.
 */
export type NotificationChannelView = NotificationChannelAdded['data'] & {
  _id: string;
  addedBy: string;
  addedAt: Date;
  changedAt: Date;
  /** Where the channel was added in the log: it hears of what happened after that only. */
  since: number;
  position: number;
};

/** What a channel's sealed values are bound to: a value moved to another channel or field does not open. */
export const targetContext = (channelId: string) => `notification-channel ${channelId} target`;
export const signingContext = (channelId: string) => `notification-channel ${channelId} signing-secret`;
