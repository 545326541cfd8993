import { Command } from '@nestjs/cqrs';
import { RebuildResult } from '@testausdeploy/events';

/** Replay the whole log into a fresh collection for each named read model (all if none) and swap them in. */
export class RebuildProjectionsCommand extends Command<RebuildResult[]> {
  constructor(readonly names: string[]) {
    super();
  }
}
