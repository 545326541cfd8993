import { AnyBulkWriteOperation, Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import { StoredEvent } from '../stored-event';
import { Projection, View, Views } from './projection';

/**
 * One read model's documents between the event log and its collection: events are folded in memory and what
 * changed is written in bulk by `flush`. The runner gives each collection one buffer, its only writer, so what
 * the buffer holds stays true.
 *
 * A buffer over a collection it created empty (a rebuild) knows every id it has written: any other id is known
 * absent without a read, and new documents are inserted instead of upserted one by one.
 */
export class ViewBuffer<D extends View> implements Views<D> {
  /** Documents as last folded; null when known absent or deleted. */
  private readonly cache = new Map<D['_id'], D | null>();
  private readonly dirty = new Set<D['_id']>();
  private readonly written: Set<D['_id']> | null;
  private writing: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    readonly projection: Projection<D>,
    readonly target: Collection<D>,
    createdEmpty: boolean,
    /** Clean documents kept past a flush; beyond it they are dropped and read back when needed. */
    private readonly cacheLimit = 20_000,
  ) {
    this.written = createdEmpty ? new Set() : null;
  }

  /** Documents changed since the last flush. */
  get changes(): number {
    return this.dirty.size;
  }

  async apply(events: StoredEvent[]): Promise<void> {
    for (const event of events) await this.projection.apply(event, this);
  }

  async get(id: D['_id']): Promise<D | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    if (this.written && !this.written.has(id)) return undefined;
    const found = (await this.target.findOne({ _id: id } as Filter<D>)) as D | null;
    this.cache.set(id, found);
    return found ?? undefined;
  }

  put(document: D): void {
    this.cache.set(document._id, document);
    this.dirty.add(document._id);
  }

  delete(id: D['_id']): void {
    this.cache.set(id, null);
    this.dirty.add(id);
  }

  /**
   * Writes what changed since the last flush, after any flush still being written; resolves once this one is.
   * The changes are taken now, so events may be folded in while it is written.
   */
  flush(): Promise<void> {
    const inserts: OptionalUnlessRequiredId<D>[] = [];
    const writes: AnyBulkWriteOperation<D>[] = [];
    const deletes: AnyBulkWriteOperation<D>[] = [];
    for (const id of this.dirty) {
      const filter = { _id: id } as Filter<D>;
      const document = this.cache.get(id) ?? null;
      if (document === null) {
        if (!this.written || this.written.delete(id)) deletes.push({ deleteOne: { filter } });
      } else if (this.written && !this.written.has(id)) {
        this.written.add(id);
        inserts.push(document as OptionalUnlessRequiredId<D>);
      } else {
        writes.push({ replaceOne: { filter, replacement: document, upsert: true } });
      }
    }
    this.dirty.clear();
    this.queued++;
    const write = async () => {
      try {
        if (inserts.length > 0) await this.target.insertMany(inserts, { ordered: false });
        // Deletes last: a projection may decide from a document what to change in others (the stats' pending
        // request), so if the writer dies half way that document must outlive the changes made from it.
        const operations = [...writes, ...deletes];
        if (operations.length > 0) await this.target.bulkWrite(operations, { ordered: true });
      } finally {
        this.queued--;
      }
      this.evict();
    };
    const written = this.writing.catch(() => undefined).then(write);
    this.writing = written;
    return written;
  }

  /** Forgets everything not yet written, after a failure: the documents are read back from the collection. */
  reset(): void {
    this.cache.clear();
    this.dirty.clear();
  }

  /** Drops clean documents once over the limit, unless a flush still has to write some of them. */
  private evict(): void {
    if (this.queued > 0 || this.cache.size <= this.cacheLimit) return;
    for (const id of this.cache.keys()) if (!this.dirty.has(id)) this.cache.delete(id);
  }
}
