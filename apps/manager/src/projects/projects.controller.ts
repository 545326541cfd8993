import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { Conflict } from '@testausdeploy/domain';
import { ZodBody } from '../http/zod-body.pipe';
import { GrantProjectRoleCommand } from './commands/grant-project-role.command';
import { RemoveProjectCommand } from './commands/remove-project.command';
import { RevokeProjectRoleCommand } from './commands/revoke-project-role.command';
import {
  GrantProjectRoleBody,
  grantProjectRoleBody,
  ProjectMemberParams,
  projectMemberParams,
  ProjectParams,
  projectParams,
  RemoveProjectBody,
  removeProjectBody,
} from './dto/project.dto';
import { ProjectAccess } from './project-access';
import { ProjectDirectory } from './project-directory';

/** Projects (deployed repositories) and the roles members hold on them: admins grant, members see their own. */
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: ProjectDirectory,
    private readonly access: ProjectAccess,
  ) {}

  /** The projects the caller holds a role on (an admin: all), each with its members and newest deployment. */
  @Get()
  @ForMembers()
  list(@CurrentCaller() caller: Caller) {
    return this.directory.list(caller);
  }

  @Get(':org/:repo')
  @ForMembers()
  get(@Param(new ZodBody(projectParams)) { org, repo }: ProjectParams, @CurrentCaller() caller: Caller) {
    return this.directory.get(caller, org, repo);
  }

  /**
   * Removes the project with everything of it: what it has on the Worker (containers, volumes, data), its
   * configuration, its channels, its data key (its secrets can never be opened again) and every role on it.
   * Admins and its maintainers; `confirm` must be `org/repo`.
   */
  @Delete(':org/:repo')
  @ForMembers()
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param(new ZodBody(projectParams)) { org, repo }: ProjectParams,
    @Body(new ZodBody(removeProjectBody)) { confirm }: RemoveProjectBody,
    @CurrentCaller() caller: Caller,
    @Actor() actor: string,
  ): Promise<void> {
    await this.access.project(caller, org, repo, 'maintainer');
    // A well-formed request for another name than this project's: 409, as the project is not the one named.
    if (confirm.toLowerCase() !== `${org}/${repo}`) {
      throw new Conflict(`type ${org}/${repo} as confirm to remove the project`);
    }
    await this.commands.execute(new RemoveProjectCommand(org, repo, actor));
  }

  /** Gives the member `maintainer` or `viewer` on the project, in place of any role they hold. */
  @Put(':org/:repo/members/:name')
  grant(
    @Param(new ZodBody(projectMemberParams)) { org, repo, name }: ProjectMemberParams,
    @Body(new ZodBody(grantProjectRoleBody)) { role }: GrantProjectRoleBody,
    @Actor() actor: string,
  ) {
    return this.commands.execute(new GrantProjectRoleCommand(org, repo, name, role, actor));
  }

  @Delete(':org/:repo/members/:name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @Param(new ZodBody(projectMemberParams)) { org, repo, name }: ProjectMemberParams,
    @Actor() actor: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeProjectRoleCommand(org, repo, name, actor));
  }
}
