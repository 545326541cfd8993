import { Injectable } from '@nestjs/common';
import { Db, MongoServerError } from 'mongodb';

interface Delivery {
  _id: string;
  at: Date;
}

/**
 * The GitHub deliveries (`X-GitHub-Delivery`) already acted on. A signature proves who sent a body, not when: a
 * delivery someone captured and sends again must do nothing. Delivery ids are unique per delivery (GitHub's own
 * redeliveries of a failed one reuse it, and are equally ignored once it went through).
 */
@Injectable()
export class WebhookDeliveries {
  constructor(private readonly db: Db) {}

  /** True the first time `id` is seen, false ever after (the unique `_id` decides, also between Managers). */
  async first(id: string): Promise<boolean> {
    try {
      await this.db.collection<Delivery>('webhook_deliveries').insertOne({ _id: id, at: new Date() });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }
}
