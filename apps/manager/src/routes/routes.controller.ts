import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ProjectParams, projectParams } from '../projects/dto/project.dto';
import { ProjectAccess } from '../projects/project-access';
import { SetRoutesCommand } from './commands/set-routes.command';
import { SetRoutesBody, setRoutesBody } from './dto/routes.dto';
import { GetProjectRoutesQuery } from './queries/get-project-routes.query';

/**
 * A project's routes: which service answers at which host names over HTTPS. Its members see them; maintainers
 * and admins set them, and only admins give host names beyond the default one.
 */
@Controller('projects/:org/:repo/routes')
@ForMembers()
export class RoutesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly access: ProjectAccess,
  ) {}

  @Get()
  async get(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @CurrentCaller() caller: Caller,
  ) {
    await this.access.project(caller, org, repo, 'viewer');
    return this.queries.execute(new GetProjectRoutesQuery(org, repo));
  }

  @Put()
  async set(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @Body(new ZodBody(setRoutesBody)) { routes }: SetRoutesBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    await this.access.project(caller, org, repo, 'maintainer');
    await this.commands.execute(new SetRoutesCommand(org, repo, routes, actor, caller.role === 'admin'));
    return this.queries.execute(new GetProjectRoutesQuery(org, repo));
  }
}
