import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProjectMembers } from '../project-members';
import { ProjectRepository } from '../project.repository';
import { RevokeProjectRoleCommand } from './revoke-project-role.command';

@CommandHandler(RevokeProjectRoleCommand)
export class RevokeProjectRoleHandler implements ICommandHandler<RevokeProjectRoleCommand> {
  constructor(
    private readonly repository: ProjectRepository,
    private readonly members: ProjectMembers,
  ) {}

  async execute({ org, repo, member, actor }: RevokeProjectRoleCommand): Promise<void> {
    const grantee = await this.members.resolve(member);
    const project = await this.repository.load(org, repo);
    project.revoke(grantee);
    await this.repository.save(project, actor);
  }
}
