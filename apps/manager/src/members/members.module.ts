import { Global, Module } from '@nestjs/common';
import { AddMemberHandler } from './commands/add-member.handler';
import { ChangeMemberRoleHandler } from './commands/change-member-role.handler';
import { IssueMemberTokenHandler } from './commands/issue-member-token.handler';
import { LinkMemberIdentityHandler } from './commands/link-member-identity.handler';
import { RemoveMemberHandler } from './commands/remove-member.handler';
import { RevokeMemberTokenHandler } from './commands/revoke-member-token.handler';
import { ReplaceMemberTokenHandler } from './commands/replace-member-token.handler';
import { MemberDirectory } from './member-directory';
import { MemberTokens } from './member-tokens';
import { TokenUses } from './token-uses';
import { TokensController } from './tokens.controller';
import { MemberRepository } from './member.repository';
import { MembersController } from './members.controller';
import { MembersProjection } from './projections/members.projection';
import { ListMembersHandler } from './queries/list-members.handler';

/** Members' accounts and their tokens; the guard finds callers through MemberDirectory. */
@Global()
@Module({
  controllers: [MembersController, TokensController],
  providers: [
    MemberRepository,
    MemberDirectory,
    MembersProjection,
    AddMemberHandler,
    ReplaceMemberTokenHandler,
    ChangeMemberRoleHandler,
    RemoveMemberHandler,
    ListMembersHandler,
    IssueMemberTokenHandler,
    LinkMemberIdentityHandler,
    RevokeMemberTokenHandler,
    TokenUses,
    MemberTokens,
  ],
  exports: [MemberDirectory, MemberRepository, TokenUses],
})
export class MembersModule {}
