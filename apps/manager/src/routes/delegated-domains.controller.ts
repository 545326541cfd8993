import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { Caller, CurrentCaller } from '../auth/caller';
import { ZodBody } from '../http/zod-body.pipe';
import { ProjectParams, projectParams } from '../projects/dto/project.dto';
import { ProjectAccess } from '../projects/project-access';
import { DelegateDomainsCommand } from './commands/delegate-domains.command';
import { DelegateDomainsBody, delegateDomainsBody } from './dto/routes.dto';
import { GetProjectRoutesQuery } from './queries/get-project-routes.query';

/** The domains delegated to a project, under which its maintainers give its routes host names: admins only. */
@Controller('projects/:org/:repo/domains')
export class DelegatedDomainsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly access: ProjectAccess,
  ) {}

  @Put()
  async delegate(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @Body(new ZodBody(delegateDomainsBody)) { domains }: DelegateDomainsBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    await this.access.project(caller, org, repo, 'maintainer');
    await this.commands.execute(new DelegateDomainsCommand(org, repo, domains, actor));
    return this.queries.execute(new GetProjectRoutesQuery(org, repo));
  }
}
