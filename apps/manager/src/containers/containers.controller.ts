import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContainerSchedule } from '@testausdeploy/domain';
import { Caller, CurrentCaller } from '../auth/caller';
import { AsOfResolver } from '../audit/as-of.resolver';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ActOnContainerCommand } from './commands/act-on-container.command';
import { ChangeContainerLimitsCommand } from './commands/change-container-limits.command';
import { CreateContainerCommand } from './commands/create-container.command';
import { DeleteContainerCommand } from './commands/delete-container.command';
import { ReplaceContainerSshKeysCommand } from './commands/replace-container-ssh-keys.command';
import { SetContainerScheduleCommand } from './commands/set-container-schedule.command';
import {
  containerLimitsBody,
  createContainerBody,
  CreateContainerBody,
  deleteContainerBody,
  listContainersQuery,
  ListContainersParams,
  scheduleBody,
  sshKeysBody,
} from './dto/container.dto';
import { GetContainerProgressQuery } from './queries/get-container-progress.query';
import { GetContainerQuery } from './queries/get-container.query';
import { ListContainersQuery } from './queries/list-containers.query';

/** Members' LXD containers: a member sees and acts on their own, an admin on all (403 otherwise). */
@Controller('containers')
@ForMembers()
export class ContainersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly asOf: AsOfResolver,
  ) {}

  @Post()
  create(@Body(new ZodBody(createContainerBody)) body: CreateContainerBody, @CurrentCaller() caller: Caller) {
    return this.commands.execute(new CreateContainerCommand(body, caller));
  }

  @Get()
  async list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodBody(listContainersQuery)) { owner, asOf }: ListContainersParams,
  ) {
    const position = asOf === undefined ? undefined : await this.asOf.position(asOf);
    return this.queries.execute(new ListContainersQuery(caller, owner, position));
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return this.queries.execute(new GetContainerQuery(name, caller));
  }

  /** The running (or last) create, restore or export: the Worker's progress lines as they come. */
  @Get(':name/progress')
  progress(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return this.queries.execute(new GetContainerProgressQuery(name, caller));
  }

  @Post(':name/start')
  @HttpCode(HttpStatus.OK)
  start(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return this.commands.execute(new ActOnContainerCommand(name, 'start', caller));
  }

  @Post(':name/stop')
  @HttpCode(HttpStatus.OK)
  stop(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return this.commands.execute(new ActOnContainerCommand(name, 'stop', caller));
  }

  @Post(':name/restart')
  @HttpCode(HttpStatus.OK)
  restart(@Param('name') name: string, @CurrentCaller() caller: Caller) {
    return this.commands.execute(new ActOnContainerCommand(name, 'restart', caller));
  }

  @Put(':name/limits')
  limits(
    @Param('name') name: string,
    @Body(new ZodBody(containerLimitsBody)) limits: { cpus: number; memoryMiB: number; diskGiB: number },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new ChangeContainerLimitsCommand(name, limits, caller));
  }

  @Put(':name/ssh-keys')
  sshKeys(
    @Param('name') name: string,
    @Body(new ZodBody(sshKeysBody)) { sshKeys }: { sshKeys: string[] },
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new ReplaceContainerSshKeysCommand(name, sshKeys, caller));
  }

  @Put(':name/schedule')
  schedule(
    @Param('name') name: string,
    @Body(new ZodBody(scheduleBody)) schedule: ContainerSchedule,
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new SetContainerScheduleCommand(name, schedule, caller));
  }

  /** Needs `{ "confirm": "<name>" }`: the name typed again. */
  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('name') name: string,
    @Body(new ZodBody(deleteContainerBody)) { confirm }: { confirm?: string },
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.commands.execute(new DeleteContainerCommand(name, confirm, caller));
  }
}
