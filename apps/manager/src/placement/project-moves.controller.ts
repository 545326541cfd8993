import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ProjectParams, projectParams } from '../projects/dto/project.dto';
import { MoveProjectCommand } from './commands/move-project.command';
import { MoveBody, moveBody } from './dto/move.dto';

/** Admins move a project to another node (docs/scaling.md, "Moving a project"). */
@Controller('projects')
export class ProjectMovesController {
  constructor(private readonly commands: CommandBus) {}

  /** Accepted, not done: the move is a deployment on the new node; poll `GET /deployments/:id` for it. */
  @Post(':org/:repo/move')
  @HttpCode(HttpStatus.ACCEPTED)
  move(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @Body(new ZodBody(moveBody)) { node }: MoveBody,
    @Actor() actor: string,
  ) {
    return this.commands.execute(new MoveProjectCommand(org, repo, node, actor));
  }
}
