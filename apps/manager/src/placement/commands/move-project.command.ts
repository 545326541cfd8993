import { Command } from '@nestjs/cqrs';

/** An admin moves a project to another node: a deployment there, then the switch, then removal where it ran. */
export class MoveProjectCommand extends Command<{ deploymentId: string }> {
  constructor(
    readonly org: string,
    readonly repo: string,
    readonly node: string,
    readonly actor: string,
  ) {
    super();
  }
}
