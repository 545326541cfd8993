import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Caller, CurrentCaller } from '../auth/caller';
import { ZodBody } from '../http/zod-body.pipe';
import { MoveBody, moveBody } from '../placement/dto/move.dto';
import { MoveContainerCommand } from './commands/move-container.command';

/** Admins move a member's container to another node (docs/containers.md, "Moving a container"). */
@Controller('containers')
export class ContainerMovesController {
  constructor(private readonly commands: CommandBus) {}

  /** Done when answered: the container view on its new node; `GET /containers/:name/progress` follows it. */
  @Post(':name/move')
  @HttpCode(HttpStatus.OK)
  move(
    @Param('name') name: string,
    @Body(new ZodBody(moveBody)) { node }: MoveBody,
    @CurrentCaller() caller: Caller,
  ) {
    return this.commands.execute(new MoveContainerCommand(name, node, caller));
  }
}
