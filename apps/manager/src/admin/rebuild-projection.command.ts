import { Command } from '@nestjs/cqrs';
import { RebuildResult } from '@testausdeploy/events';

/** Replay the whole log into a fresh collection for one read model and swap it in. */
export class RebuildProjectionCommand extends Command<RebuildResult> {
  constructor(readonly name: string) {
    super();
  }
}
