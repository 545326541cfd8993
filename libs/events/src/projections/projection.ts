import { IndexDescription } from 'mongodb';
import { StoredEvent } from '../stored-event';

/** A read model document: `_id` is its key, the only field the runner reads or writes by. */
export interface View {
  _id: string | number;
}

/** The documents of one read model as a projection sees them while it folds events in. */
export interface Views<D extends View> {
  /** The current document, or undefined. Never mutate it: `put` a new object instead. */
  get(id: D['_id']): Promise<D | undefined>;
  put(document: D): void;
  delete(id: D['_id']): void;
}

/**
 * A read model fed from the event log into one collection. The projection only folds events into documents;
 * the runner decides where they live meanwhile and when they are written, so a live follower and a rebuild
 * run the same code. `apply` must be deterministic (times come from the events, never from the clock) and
 * idempotent per document: after a crash the events since the checkpoint arrive again, and each document
 * must end as if they had arrived once (keep the position of the last event folded into a document that
 * counts, and skip what is not newer).
 */
export interface Projection<D extends View = View> {
  readonly name: string;
  /**
   * The shape of the documents `apply` writes. Raise it with any change to that shape: a runner that finds a
   * read model built by another version rebuilds it from the log when it starts.
   */
  readonly version: number;
  /** Indexes the queries need besides `_id`; created on every fresh collection. */
  readonly indexes: IndexDescription[];
  apply(event: StoredEvent, views: Views<D>): Promise<void>;
}
