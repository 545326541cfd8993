import { StoredEvent } from '@testausdeploy/events';

/** A read model fed from the event log. `project` must be idempotent: the same event may arrive twice. */
export interface Projection {
  project(event: StoredEvent): Promise<void>;
}
