import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { EventRecorded } from '../events/event-recorded.event';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { AffectedGuardians } from '../placement/affected-guardians';
import { FirewallSync } from './firewall-sync';

/**
 * Events that can change the rules: a deployment's outcome, its project started, stopped or moved, a container
 * made, moved or deleted.
 */
const CHANGES_PORTS = new Set([
  'ContainerCreated',
  'ContainerMoved',
  'ContainerDeleted',
  'DeploymentSucceeded',
  'DeploymentStarted',
  'DeploymentRestarted',
  'DeploymentStopped',
  'DeploymentRemoved',
  'ProjectMoved',
]);

/** Resends the firewall state when the port rules change, and to a Guardian whose session (re)opens. */
@EventsHandler(EventRecorded, NodeSessionOpened)
export class FirewallListener implements IEventHandler<EventRecorded | NodeSessionOpened> {
  constructor(
    private readonly sync: FirewallSync,
    private readonly affected: AffectedGuardians,
  ) {}

  handle(event: EventRecorded | NodeSessionOpened): void {
    if (event instanceof NodeSessionOpened) {
      if (event.kind === 'guardian') void this.sync.sync(event.name);
    } else if (CHANGES_PORTS.has(event.event.type)) {
      // Only the Guardians of the nodes it happened on: a deployment on one node sends nothing to the others.
      void this.affected
        .of(event.event)
        .catch(() => null)
        .then((guardians) => this.sync.syncSome(guardians));
    }
  }
}
