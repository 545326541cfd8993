import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '@testausdeploy/domain';
import { RebuildResult } from '@testausdeploy/events';
import { ReadModels } from '../events/read-models';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ name }: RebuildProjectionCommand): Promise<RebuildResult> {
    if (!this.readModels.names().includes(name)) {
      throw new NotFound(`no read model "${name}" (there are: ${this.readModels.names().join(', ')})`);
    }
    return this.readModels.rebuild(name);
  }
}
