import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { CreateSnapshotCommand } from './commands/create-snapshot.command';
import { DeleteSnapshotCommand } from './commands/delete-snapshot.command';
import { RestoreSnapshotCommand } from './commands/restore-snapshot.command';
import { snapshotBody } from './dto/container.dto';
import { GetContainerQuery } from './queries/get-container.query';

/** Snapshots of a container (in the storage pool beside it: not backups). */
@Controller('containers/:name/snapshots')
@ForMembers()
export class ContainerSnapshotsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  async list(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return (await this.queries.execute(new GetContainerQuery(name, caller, false))).snapshots;
  }

  @Post()
  create(
    @Param('name') name: string,
    @Body(new ZodBody(snapshotBody)) { snapshot }: { snapshot: string },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new CreateSnapshotCommand(name, snapshot, caller));
  }

  @Post(':snapshot/restore')
  @HttpCode(HttpStatus.OK)
  restore(@Param('name') name: string, @Param('snapshot') snapshot: string, @CurrentCaller() caller: Caller) {
    return this.commands.execute(new RestoreSnapshotCommand(name, snapshot, caller));
  }

  @Delete(':snapshot')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('name') name: string,
    @Param('snapshot') snapshot: string,
    @CurrentCaller() caller: Caller,
  ) {
    await this.commands.execute(new DeleteSnapshotCommand(name, snapshot, caller));
  }
}
