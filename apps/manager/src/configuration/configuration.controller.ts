import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ProjectParams, projectParams } from '../projects/dto/project.dto';
import { ProjectAccess } from '../projects/project-access';
import { ChangeConfigurationCommand } from './commands/change-configuration.command';
import { ConfigurationDirectory } from './configuration-directory';
import {
  ImportVariablesBody,
  importVariablesBody,
  removeVariableQuery,
  RemoveVariableQuery,
  SetVariableBody,
  setVariableBody,
  VariableParams,
  variableParams,
} from './dto/configuration.dto';
import { parseEnvText } from './env-text';

/**
 * A project's configuration: variables for its services, plain or secret (write-only). Its maintainers and
 * admins only; to anyone else the project answers as one that does not exist, to a viewer that it needs more.
 * A change waits for the project's next deployment, or with `redeploy` starts one now (its `deploymentId`).
 */
@Controller('projects/:org/:repo/variables')
@ForMembers()
export class ConfigurationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly access: ProjectAccess,
    private readonly directory: ConfigurationDirectory,
  ) {}

  @Get()
  async list(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @CurrentCaller() caller: Caller,
  ) {
    await this.access.project(caller, org, repo, 'maintainer');
    return this.directory.summary(org, repo);
  }

  @Put(':name')
  async set(
    @Param(new ZodBody(variableParams)) { org, repo, name }: VariableParams,
    @Body(new ZodBody(setVariableBody)) { value, secret, service, redeploy }: SetVariableBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    await this.access.project(caller, org, repo, 'maintainer');
    const set = [{ name, service, value, secret }];
    const { deploymentId } = await this.commands.execute(
      new ChangeConfigurationCommand(org, repo, set, [], actor, redeploy),
    );
    return { ...(await this.variable(org, repo, name, service)), deploymentId };
  }

  @Delete(':name')
  async remove(
    @Param(new ZodBody(variableParams)) { org, repo, name }: VariableParams,
    @Query(new ZodBody(removeVariableQuery)) { service, redeploy }: RemoveVariableQuery,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ): Promise<{ version: number; deploymentId: string | null }> {
    await this.access.project(caller, org, repo, 'maintainer');
    const removed = [{ name, service }];
    return this.commands.execute(new ChangeConfigurationCommand(org, repo, [], removed, actor, redeploy));
  }

  /**
   * Sets every variable of a `.env` text, in one change; the answer names them and the lines it skipped (by
   * number), never a value. A text that sets nothing changes nothing.
   */
  @Post('import')
  @HttpCode(HttpStatus.OK)
  async import(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @Body(new ZodBody(importVariablesBody)) { text, secret, service, redeploy }: ImportVariablesBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ) {
    await this.access.project(caller, org, repo, 'maintainer');
    const { variables, skipped } = parseEnvText(text);
    const set = variables.map(({ name, value }) => ({ name, value, secret, service }));
    const { version, deploymentId } =
      set.length > 0
        ? await this.commands.execute(new ChangeConfigurationCommand(org, repo, set, [], actor, redeploy))
        : { ...(await this.directory.summary(org, repo)), deploymentId: null };
    return { version, set: set.map(({ name }) => name), skipped, deploymentId };
  }

  private async variable(org: string, repo: string, name: string, service: string | null) {
    const { variables } = await this.directory.summary(org, repo);
    return variables.find((one) => one.name === name && one.service === service);
  }
}
