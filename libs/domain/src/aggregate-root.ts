/** A fact the domain recorded: its type names what happened, its data is everything needed to replay it. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * Base of every aggregate: it decides in its methods, records what it decided as events, and changes its own
 * state only by applying events, so loading from history and deciding now go through the same code.
 */
export abstract class AggregateRoot<E extends DomainEvent> {
  private uncommitted: E[] = [];
  private persistedVersion = 0;

  /** The version the aggregate had when loaded: the stream position an append must expect. */
  get version(): number {
    return this.persistedVersion;
  }

  protected record(event: E): void {
    this.apply(event);
    this.uncommitted.push(event);
  }

  protected abstract apply(event: E): void;

  loadFromHistory(events: Iterable<E>): void {
    for (const event of events) {
      this.apply(event);
      this.persistedVersion++;
    }
  }

  /** Hands over the events recorded since loading and treats them as persisted. */
  commit(): E[] {
    const events = this.uncommitted;
    this.uncommitted = [];
    this.persistedVersion += events.length;
    return events;
  }

  get pendingEvents(): readonly E[] {
    return this.uncommitted;
  }
}
