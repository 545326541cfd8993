import { Global, Module } from '@nestjs/common';
import { GrantProjectRoleHandler } from './commands/grant-project-role.handler';
import { RemoveProjectHandler } from './commands/remove-project.handler';
import { RevokeProjectRoleHandler } from './commands/revoke-project-role.handler';
import { MemberDeploys } from './member-deploys';
import { ProjectAccess } from './project-access';
import { ProjectDirectory } from './project-directory';
import { ProjectRemovals } from './project-removals';
import { ProjectMembers } from './project-members';
import { ProjectRepository } from './project.repository';
import { ProjectsController } from './projects.controller';
import { ProjectsProjection } from './projections/projects.projection';

/** Projects and members' roles on them; ProjectAccess is what every deployment route asks. */
@Global()
@Module({
  controllers: [ProjectsController],
  providers: [
    ProjectRepository,
    ProjectsProjection,
    ProjectAccess,
    ProjectRemovals,
    ProjectDirectory,
    ProjectMembers,
    MemberDeploys,
    GrantProjectRoleHandler,
    RevokeProjectRoleHandler,
    RemoveProjectHandler,
  ],
  exports: [ProjectAccess, ProjectRemovals, MemberDeploys, ProjectRepository],
})
export class ProjectsModule {}
