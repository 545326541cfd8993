import { StoredEvent } from '@testausdeploy/events';

/** Published on the Nest event bus once an event is durably stored and projected; sagas react to it. */
export class EventRecorded {
  constructor(readonly event: StoredEvent) {}
}
