import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { EventRecorded } from '../events/event-recorded.event';
import { NodeSessionOpened } from '../nodes/node-session-opened.event';
import { AffectedGuardians } from '../placement/affected-guardians';
import { RouteSync } from './route-sync';

/** Events that can change the routes: the routes themselves, what runs, a project moved or removed. */
const CHANGES_ROUTES = new Set([
  'RoutesChanged',
  'DeploymentSucceeded',
  'DeploymentStarted',
  'DeploymentRestarted',
  'DeploymentStopped',
  'DeploymentRemoved',
  'ProjectMoved',
  'ProjectRemoved',
]);

/** Resends the routes when they change, and to a Guardian whose session (re)opens. */
@EventsHandler(EventRecorded, NodeSessionOpened)
export class RoutesListener implements IEventHandler<EventRecorded | NodeSessionOpened> {
  constructor(
    private readonly sync: RouteSync,
    private readonly affected: AffectedGuardians,
  ) {}

  handle(event: EventRecorded | NodeSessionOpened): void {
    if (event instanceof NodeSessionOpened) {
      if (event.kind === 'guardian') void this.sync.sync(event.name);
    } else if (CHANGES_ROUTES.has(event.event.type)) {
      // Only the Guardians of the nodes it happened on: a deployment on one node sends nothing to the others.
      void this.affected
        .of(event.event)
        .catch(() => null)
        .then((guardians) => this.sync.syncSome(guardians));
    }
  }
}
