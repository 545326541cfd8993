import { Injectable } from '@nestjs/common';
import { IEvent, ofType, Saga } from '@nestjs/cqrs';
import { filter, map, Observable } from 'rxjs';
import { EventRecorded } from '../../events/event-recorded.event';
import { RunDeploymentCommand } from '../commands/run-deployment.command';

/** Turns a recorded request into work for the Worker. */
@Injectable()
export class DeploymentSaga {
  @Saga()
  deploymentRequested = (events$: Observable<IEvent>): Observable<RunDeploymentCommand> =>
    events$.pipe(
      ofType(EventRecorded),
      filter(({ event }) => event.type === 'DeploymentRequested'),
      map(
        ({ event }) =>
          new RunDeploymentCommand((event.data as { deploymentId: string }).deploymentId, {
            actor: 'system',
            correlationId: event.metadata.correlationId,
            causationId: `${event.streamId}@${event.version}`,
          }),
      ),
    );
}
