import { Controller, Get, Query } from '@nestjs/common';
import { NotFound } from '@testausdeploy/domain';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { MemberDirectory } from '../members/member-directory';
import { MemberQuotas, MemberUsage } from './member-quotas';

/** A member's quotas and what they use of them: their own, or for an admin any member's (`?member=`). */
@Controller('quota')
@ForMembers()
export class QuotaController {
  constructor(
    private readonly quotas: MemberQuotas,
    private readonly members: MemberDirectory,
  ) {}

  @Get()
  async get(@CurrentCaller() caller: Caller, @Query('member') name?: string): Promise<MemberUsage> {
    if (!name || name === caller.member) {
      // The answer for a quota that does not exist (the request itself is well formed).
      if (!caller.memberId) throw new NotFound("the admin token is no member's: name one, ?member=<name>");
      return this.quotas.usage(caller.memberId);
    }
    const member = caller.role === 'admin' ? await this.members.find(name) : null;
    if (!member) throw new NotFound(`member "${name}" does not exist`);
    return this.quotas.usage(member.memberId);
  }
}
