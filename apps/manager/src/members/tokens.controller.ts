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
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Conflict, Forbidden } from '@testausdeploy/domain';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { IssueMemberTokenCommand } from './commands/issue-member-token.command';
import { RevokeMemberTokenCommand } from './commands/revoke-member-token.command';
import { IssueTokenBody, issueTokenBody } from './dto/member.dto';
import { MemberTokens } from './member-tokens';

/** The caller's own named API tokens: each shown once when made, listed without it, revocable. */
@Controller('tokens')
@ForMembers()
export class TokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tokens: MemberTokens,
  ) {}

  @Get()
  list(@CurrentCaller() caller: Caller) {
    return this.tokens.of(memberOf(caller));
  }

  @Post()
  issue(
    @Body(new ZodBody(issueTokenBody)) { name, scope, expiresInDays }: IssueTokenBody,
    @CurrentCaller() caller: Caller,
  ) {
    // A token made with a named token would outlive that token's expiry and revocation.
    if (caller.tokenId !== null) {
      throw new Forbidden(
        "tokens are made with your account's token or in a dashboard session not opened with a named token",
      );
    }
    return this.commands.execute(
      new IssueMemberTokenCommand(memberOf(caller), name, scope, expiresInDays, caller.actor),
    );
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.commands.execute(new RevokeMemberTokenCommand(memberOf(caller), id, caller.actor));
  }
}

function memberOf({ member }: Caller): string {
  if (member === null) {
    throw new Conflict(
      'the admin token from the configuration has no tokens of its own: add yourself as a member (role admin) and make them with that account',
    );
  }
  return member;
}
