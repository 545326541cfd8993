import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { AggregateRoot, DomainEvent } from '@testausdeploy/domain';
import { AppendMetadata, AppendResult, EventStore } from '@testausdeploy/events';
import { EventRecorded } from './event-recorded.event';
import { ReadModels } from './read-models';

/** Who asked, in answer to what, and (for retried requests) the client's idempotency key. */
export type Cause = AppendMetadata;

/**
 * Persists what an aggregate decided, waits until the read models have applied it (so a query issued after a
 * command returns sees its effect), then lets sagas react.
 */
@Injectable()
export class EventRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly bus: EventBus,
  ) {}

  /** Loads an aggregate from its stream: every event it recorded, applied in order. */
  async load<A extends AggregateRoot<DomainEvent>>(aggregate: A, streamId: string): Promise<A> {
    aggregate.loadFromHistory((await this.store.readStream(streamId)) as unknown as DomainEvent[]);
    return aggregate;
  }

  /** Saves what an aggregate decided in answer to `actor`'s request, which starts a correlation of its own. */
  saveAs(streamId: string, aggregate: AggregateRoot<DomainEvent>, actor: string): Promise<AppendResult> {
    return this.save(streamId, aggregate, { actor, correlationId: randomUUID(), causationId: null });
  }

  async save(streamId: string, aggregate: AggregateRoot<DomainEvent>, cause: Cause): Promise<AppendResult> {
    const result = await this.store.append(streamId, aggregate.version, [...aggregate.pendingEvents], cause);
    aggregate.commit();
    const last = result.events[result.events.length - 1];
    if (last) await this.readModels.waitFor(last.position);
    if (!result.duplicate) this.bus.publishAll(result.events.map((event) => new EventRecorded(event)));
    return result;
  }
}
