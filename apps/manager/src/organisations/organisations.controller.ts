import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { AllowOrganisationCommand } from './commands/allow-organisation.command';
import { DisallowOrganisationCommand } from './commands/disallow-organisation.command';
import { AllowOrganisationBody, allowOrganisationBody } from './dto/allow-organisation.dto';
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
    return (await this.directory.all()).map(({ org, allowedBy, allowedAt }) => ({
      org,
      allowedBy,
      allowedAt,
    }));
  }

  @Post()
  allow(@Body(new ZodBody(allowOrganisationBody)) { org }: AllowOrganisationBody, @Actor() actor: string) {
    return this.commands.execute(new AllowOrganisationCommand(org, actor));
  }

  @Delete(':org')
  @HttpCode(HttpStatus.NO_CONTENT)
  async disallow(@Param('org') org: string, @Actor() actor: string): Promise<void> {
    await this.commands.execute(new DisallowOrganisationCommand(org, actor));
  }
}
