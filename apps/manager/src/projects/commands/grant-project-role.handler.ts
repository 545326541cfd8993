import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProjectMembers } from '../project-members';
import { ProjectRepository } from '../project.repository';
import { GrantProjectRoleCommand } from './grant-project-role.command';

@CommandHandler(GrantProjectRoleCommand)
export class GrantProjectRoleHandler implements ICommandHandler<GrantProjectRoleCommand> {
  constructor(
    private readonly repository: ProjectRepository,
    private readonly members: ProjectMembers,
  ) {}

  async execute({ org, repo, member, role, actor }: GrantProjectRoleCommand) {
    const grantee = await this.members.forGrant(org, member);
    const project = await this.repository.load(org, repo);
    project.grant(grantee, role);
    await this.repository.save(project, actor);
    return { member, role };
  }
}
