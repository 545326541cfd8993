import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { isNodeEvent } from '@testausdeploy/domain';
import { EventRecorded } from '../events/event-recorded.event';
import { NodeConnections } from './node-connections';

/** Keeps the ICP sessions in line with the registry as nodes are enrolled, re-keyed and removed. */
@EventsHandler(EventRecorded)
export class NodeRegistryListener implements IEventHandler<EventRecorded> {
  constructor(private readonly connections: NodeConnections) {}

  handle({ event }: EventRecorded): void {
    if (isNodeEvent(event)) void this.connections.reconcile();
  }
}
