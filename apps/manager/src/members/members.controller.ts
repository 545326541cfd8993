import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { AddMemberCommand } from './commands/add-member.command';
import { ChangeMemberRoleCommand } from './commands/change-member-role.command';
import { RemoveMemberCommand } from './commands/remove-member.command';
import { ReplaceMemberTokenCommand } from './commands/replace-member-token.command';
import {
  AddMemberBody,
  addMemberBody,
  changeMemberRoleBody,
  identityProvider,
  linkIdentityBody,
} from './dto/member.dto';
import { LinkMemberIdentityCommand } from './commands/link-member-identity.command';
import { IdentityProvider } from '@testausdeploy/domain';
import { ListMembersQuery } from './queries/list-members.query';
import { RevokeMemberTokenCommand } from './commands/revoke-member-token.command';
import { MemberTokens } from './member-tokens';

/** Members and their API tokens (admins only): each token is shown once, when it is made. */
@Controller('members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tokens: MemberTokens,
  ) {}

  @Post()
  add(@Body(new ZodBody(addMemberBody)) { name, role }: AddMemberBody, @Actor() actor: string) {
    return this.commands.execute(new AddMemberCommand(name, role, actor));
  }

  @Get()
  list() {
    return this.queries.execute(new ListMembersQuery());
  }

  @Post(':name/token')
  @HttpCode(HttpStatus.OK)
  replaceToken(@Param('name') name: string, @Actor() actor: string) {
    return this.commands.execute(new ReplaceMemberTokenCommand(name, actor));
  }

  @Put(':name/role')
  changeRole(
    @Param('name') name: string,
    @Body(new ZodBody(changeMemberRoleBody)) { role }: { role: 'member' | 'admin' },
    @Actor() actor: string,
  ) {
    return this.commands.execute(new ChangeMemberRoleCommand(name, role, actor));
  }

  /** Links the member to an account of GitHub or the OIDC provider, which then signs in as them. */
  @Put(':name/identities/:provider')
  linkIdentity(
    @Param('name') name: string,
    @Param('provider', new ZodBody(identityProvider, 'provider')) provider: IdentityProvider,
    @Body(new ZodBody(linkIdentityBody)) { login }: { login: string },
    @Actor() actor: string,
  ) {
    return this.commands.execute(new LinkMemberIdentityCommand(name, provider, login, actor));
  }

  /** A member's named tokens (without the tokens): for an admin looking into a leak. */
  @Get(':name/tokens')
  listTokens(@Param('name') name: string) {
    return this.tokens.of(name);
  }

  @Delete(':name/tokens/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeToken(
    @Param('name') name: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Actor() actor: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeMemberTokenCommand(name, id, actor));
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name') name: string, @Actor() actor: string): Promise<void> {
    await this.commands.execute(new RemoveMemberCommand(name, actor));
  }
}
