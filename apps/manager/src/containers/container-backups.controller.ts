import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { DeleteBackupCommand } from './commands/delete-backup.command';
import { ExportBackupCommand } from './commands/export-backup.command';
import { RestoreBackupCommand } from './commands/restore-backup.command';
import { backupBody, restoreBackupBody } from './dto/container.dto';
import { GetContainerQuery } from './queries/get-container.query';

/**
 * Backups of a container's current incarnation, by name: tarballs in the Worker's backup directory, which
 * outlive the container. Every backup a member owns, of any incarnation, is under `/backups`.
 */
@Controller('containers/:name/backups')
@ForMembers()
export class ContainerBackupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  async list(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return (await this.queries.execute(new GetContainerQuery(name, caller, false))).backups;
  }

  @Post()
  export(
    @Param('name') name: string,
    @Body(new ZodBody(backupBody)) { backup }: { backup: string },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new ExportBackupCommand(name, backup, caller));
  }

  /** A new container `newName` from the backup, with its owner, limits and SSH keys. */
  @Post(':backup/restore')
  restore(
    @Param('name') name: string,
    @Param('backup') backup: string,
    @Body(new ZodBody(restoreBackupBody)) { newName }: { newName: string },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new RestoreBackupCommand({ container: name, backup }, newName, caller));
  }

  @Delete(':backup')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('name') name: string,
    @Param('backup') backup: string,
    @CurrentCaller() caller: Caller,
  ) {
    await this.commands.execute(new DeleteBackupCommand({ container: name, backup }, caller));
  }
}
