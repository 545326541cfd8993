import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { AllowOrganisationCommand } from './commands/allow-organisation.command';
import { DisallowOrganisationCommand } from './commands/disallow-organisation.command';
import { SetMemberDeploysCommand } from './commands/set-member-deploys.command';
import {
  AllowOrganisationBody,
  allowOrganisationBody,
  MemberDeploysBody,
  memberDeploysBody,
} from './dto/allow-organisation.dto';
import { OrganisationDirectory } from './organisation-directory';

/** The allow-list of GitHub organisations whose repositories may be deployed; changes are recorded events. */
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: OrganisationDirectory,
  ) {}

  @Get()
  async list() {
    return (await this.directory.all()).map(({ org, allowedBy, allowedAt, memberDeploys }) => ({
      org,
      allowedBy,
      allowedAt,
      memberDeploys,
    }));
  }

  @Post()
  allow(@Body(new ZodBody(allowOrganisationBody)) { org }: AllowOrganisationBody, @Actor() actor: string) {
    return this.commands.execute(new AllowOrganisationCommand(org, actor));
  }

  /** Whether any member may deploy a repository of the organisation that is no project yet. */
  @Put(':org/member-deploys')
  async setMemberDeploys(
    @Param('org') org: string,
    @Body(new ZodBody(memberDeploysBody)) { allowed }: MemberDeploysBody,
    @Actor() actor: string,
  ) {
    await this.commands.execute(new SetMemberDeploysCommand(org, allowed, actor));
    return { org: org.toLowerCase(), memberDeploys: allowed };
  }

  @Delete(':org')
  @HttpCode(HttpStatus.NO_CONTENT)
  async disallow(@Param('org') org: string, @Actor() actor: string): Promise<void> {
    await this.commands.execute(new DisallowOrganisationCommand(org, actor));
  }
}
