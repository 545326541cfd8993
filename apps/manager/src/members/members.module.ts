import { Global, Module } from '@nestjs/common';
import { AddMemberHandler } from './commands/add-member.handler';
import { ChangeMemberRoleHandler } from './commands/change-member-role.handler';
import { RemoveMemberHandler } from './commands/remove-member.handler';
import { ReplaceMemberTokenHandler } from './commands/replace-member-token.handler';
import { MemberDirectory } from './member-directory';
import { MemberRepository } from './member.repository';
import { MembersController } from './members.controller';
import { MembersProjection } from './projections/members.projection';
import { ListMembersHandler } from './queries/list-members.handler';

/** Members' accounts and tokens; the guard finds callers through MemberDirectory. */
@Global()
@Module({
  controllers: [MembersController],
  providers: [
    MemberRepository,
    MemberDirectory,
    MembersProjection,
    AddMemberHandler,
    ReplaceMemberTokenHandler,
    ChangeMemberRoleHandler,
    RemoveMemberHandler,
    ListMembersHandler,
  ],
  exports: [MemberDirectory],
})
export class MembersModule {}
