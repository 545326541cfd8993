import { Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReadModels } from '../events/read-models';
import { RebuildProjectionsCommand } from './rebuild-projections.command';

@Controller('admin/projections')
export class AdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ReadModels,
  ) {}

  /** The read models, and the rebuilds under way with the position each has reached of the head. */
  @Get()
  list() {
    return { projections: this.readModels.names(), rebuilding: this.readModels.rebuilds() };
  }

  /** Every read model, one after the other; answers once all are swapped in. */
  @Post('rebuild')
  async rebuildAll() {
    return { rebuilt: await this.commands.execute(new RebuildProjectionsCommand([])) };
  }

  /** Answers when the rebuilt read model has been swapped in; queries use the old one until then. */
  @Post(':name/rebuild')
  async rebuild(@Param('name') name: string) {
    const [result] = await this.commands.execute(new RebuildProjectionsCommand([name]));
    return result;
  }
}
