import { Command } from '@nestjs/cqrs';
import { Cause } from '../../events/event-recorder';

/** Carry out a requested deployment on the Worker and record how it ended. */
export class RunDeploymentCommand extends Command<void> {
  constructor(
    readonly deploymentId: string,
    readonly cause: Cause,
  ) {
    super();
  }
}
