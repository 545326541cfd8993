import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { RebuildResult } from '@testausdeploy/events';
import { ReadModels } from '../events/read-models';
import { RebuildProjectionsCommand } from './rebuild-projections.command';

@CommandHandler(RebuildProjectionsCommand)
export class RebuildProjectionsHandler implements ICommandHandler<RebuildProjectionsCommand> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ names }: RebuildProjectionsCommand): Promise<RebuildResult[]> {
    const unknown = names.filter((name) => !this.readModels.names().includes(name));
    if (unknown.length > 0) {
      throw new NotFound(`no read model "${unknown[0]}" (there are: ${this.readModels.names().join(', ')})`);
    }
    return this.readModels.rebuild(names);
  }
}
