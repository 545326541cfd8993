import { Collection, Document } from 'mongodb';
import { StoredEvent } from '../stored-event';

/**
 * A read model fed from the event log into one collection. `apply` must be idempotent and deterministic (it
 * takes times from the events, never from the clock): the same events may arrive twice, and a rebuild from
 * position 0 must produce the same documents as the live run.
 */
export interface Projection<D extends Document = Document> {
  readonly name: string;
  /** Indexes for a fresh collection; called before the first event is applied to it. */
  prepare(target: Collection<D>): Promise<void>;
  /** Applies a batch of events, in position order. */
  apply(target: Collection<D>, events: StoredEvent[]): Promise<void>;
}
