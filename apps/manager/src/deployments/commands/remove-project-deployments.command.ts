import { Command } from '@nestjs/cqrs';

/** Everything the project has on the Worker goes, and its deployments are recorded as removed. */
export class RemoveProjectDeploymentsCommand extends Command<void> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly actor: string,
  ) {
    super();
  }
}
