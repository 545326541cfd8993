import { Command } from '@nestjs/cqrs';

/** Someone deploys a deployment's source again: its branch head, pulled and rebuilt, as a new attempt. */
export class RedeployCommand extends Command<{ deploymentId: string }> {
  constructor(
    readonly deploymentId: string,
    readonly actor: string,
  ) {
    super();
  }
}
