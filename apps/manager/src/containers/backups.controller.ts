import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { DeleteBackupCommand } from './commands/delete-backup.command';
import { RestoreBackupCommand } from './commands/restore-backup.command';
import { restoreBackupBody } from './dto/container.dto';
import { ListBackupsQuery } from './queries/list-backups.query';

/**
 * Every backup by its id, whichever container it is of: a backup belongs to the member who owned the container
 * when it was made, also once that container is deleted and its name is someone else's. Another member's
 * backup answers as one that does not exist.
 */
@Controller('backups')
@ForMembers()
export class BackupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list(@CurrentCaller() caller: Caller, @Query('owner') owner?: string) {
    return this.queries.execute(new ListBackupsQuery(caller, owner));
  }

  @Post(':id/restore')
  restore(
    @Param('id') id: string,
    @Body(new ZodBody(restoreBackupBody)) { newName }: { newName: string },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new RestoreBackupCommand({ id }, newName, caller));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    await this.commands.execute(new DeleteBackupCommand({ id }, caller));
  }
}
