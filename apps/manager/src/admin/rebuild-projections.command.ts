import { Command } from '@nestjs/cqrs';
import { RebuildResult } from '@testausdeploy/events';

/** Replay the whole log, once, into fresh collections for the named read models (all if none) and swap them in. */
export class RebuildProjectionsCommand extends Command<RebuildResult[]> {
  constructor(readonly names: string[]) {
    super();
  }
}
