import { Injectable } from '@nestjs/common';
import { Forbidden, NotFound, ProjectMember } from '@testausdeploy/domain';
import { MemberDirectory } from '../members/member-directory';
import { OrganisationDirectory } from '../organisations/organisation-directory';

/** Who a role on a project goes to, checked before anything is recorded. */
@Injectable()
export class ProjectMembers {
  constructor(
    private readonly members: MemberDirectory,
    private readonly organisations: OrganisationDirectory,
  ) {}

  /** The member named `name`, for a role on a repository of an allowed organisation. */
  async forGrant(org: string, name: string): Promise<ProjectMember> {
    if (!(await this.organisations.isAllowed(org))) {
      throw new Forbidden(`organisation "${org}" is not on the allow-list`);
    }
    return this.resolve(name);
  }

  /** The member named `name`. */
  async resolve(name: string): Promise<ProjectMember> {
    const member = await this.members.find(name);
    if (!member) throw new NotFound(`member "${name}" does not exist`);
    return { memberId: member.memberId, member: member.name };
  }
}
