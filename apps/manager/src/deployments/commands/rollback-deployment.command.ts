import { Command } from '@nestjs/cqrs';

/** Someone restores an earlier successful attempt: its exact commit and compose file, as a new attempt. */
export class RollbackDeploymentCommand extends Command<{ deploymentId: string }> {
  constructor(
    readonly deploymentId: string,
    readonly actor: string,
  ) {
    super();
  }
}
