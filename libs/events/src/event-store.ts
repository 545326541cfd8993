import { Collection, Connection, Model, Schema } from 'mongoose';
import { ConcurrencyError } from './errors';
import { EventMetadata, NewEvent, StoredEvent } from './stored-event';

const DUPLICATE_KEY = 11000;

const eventSchema = new Schema<StoredEvent>(
  {
    streamId: { type: String, required: true },
    version: { type: Number, required: true },
    position: { type: Number, required: true },
    type: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    metadata: {
      actor: { type: String, required: true },
      correlationId: { type: String, required: true },
      causationId: { type: String, default: null },
      time: { type: Date, required: true },
    },
  },
  { versionKey: false, minimize: false },
);
// (streamId, version) unique is the optimistic concurrency check; position unique keeps the global order total.
eventSchema.index({ streamId: 1, version: 1 }, { unique: true });
eventSchema.index({ position: 1 }, { unique: true });

/** Append-only event log on MongoDB: one document per event, streams keyed by id, one global order. */
export class EventStore {
  private readonly events: Model<StoredEvent>;
  private readonly counters: Collection<{ _id: string; value: number }>;

  constructor(connection: Connection) {
    this.events = connection.model<StoredEvent>('Event', eventSchema, 'events');
    this.counters = connection.collection<{ _id: string; value: number }>('event_counters');
  }

  async init(): Promise<void> {
    await this.events.createIndexes();
  }

  /**
   * Appends `events` to a stream that must be exactly at `expectedVersion`. A concurrent writer that got there
   * first makes this fail with ConcurrencyError, and nothing of this batch is kept.
   */
  async append(
    streamId: string,
    expectedVersion: number,
    events: NewEvent[],
    metadata: Omit<EventMetadata, 'time'>,
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const last = await this.counters.findOneAndUpdate(
      { _id: 'position' },
      { $inc: { value: events.length } },
      { upsert: true, returnDocument: 'after' },
    );
    const first = (last?.value ?? events.length) - events.length + 1;
    const time = new Date();
    const stored: StoredEvent[] = events.map((event, index) => ({
      streamId,
      version: expectedVersion + index + 1,
      position: first + index,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: { ...metadata, time },
    }));
    try {
      await this.events.insertMany(stored, { ordered: true });
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) {
        throw new ConcurrencyError(streamId, expectedVersion);
      }
      throw error;
    }
    return stored;
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    return this.events.find({ streamId }, { _id: 0 }).sort({ version: 1 }).lean<StoredEvent[]>();
  }
}
