import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { AggregateRoot, DomainEvent } from '@testausdeploy/domain';
import { EventMetadata, EventStore, StoredEvent } from '@testausdeploy/events';
import { EventRecorded } from './event-recorded.event';
import { Projection } from './projection';

export type Cause = Omit<EventMetadata, 'time'>;

/**
 * Persists what an aggregate decided, brings the read models up to date, then lets sagas react. Queries issued
 * after a command returns therefore already see its effect.
 */
@Injectable()
export class EventRecorder {
  private readonly projections: Projection[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly bus: EventBus,
  ) {}

  register(projection: Projection): void {
    this.projections.push(projection);
  }

  async save(streamId: string, aggregate: AggregateRoot<DomainEvent>, cause: Cause): Promise<StoredEvent[]> {
    const expectedVersion = aggregate.version;
    const stored = await this.store.append(streamId, expectedVersion, [...aggregate.pendingEvents], cause);
    aggregate.commit();
    for (const event of stored) {
      await Promise.all(this.projections.map((projection) => projection.project(event)));
    }
    this.bus.publishAll(stored.map((event) => new EventRecorded(event)));
    return stored;
  }
}
