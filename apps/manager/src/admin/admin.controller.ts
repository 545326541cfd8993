import { Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReadModels } from '../events/read-models';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@Controller('admin/projections')
export class AdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  list() {
    return { projections: this.readModels.names() };
  }

  /** Answers when the rebuilt read model has been swapped in; queries use the old one until then. */
  @Post(':name/rebuild')
  rebuild(@Param('name') name: string) {
    return this.commands.execute(new RebuildProjectionCommand(name));
  }
}
