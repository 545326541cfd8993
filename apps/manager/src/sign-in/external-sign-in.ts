import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DomainError, IdentityProvider, memberNameProblem } from '@testausdeploy/domain';
import { memberCaller } from '../auth/callers';
import { ManagerConfig } from '../config/manager-config';
import { MemberDirectory } from '../members/member-directory';
import { newMemberToken } from '../members/member-token';
import { MemberRepository } from '../members/member.repository';
import { SignInCommand } from '../sessions/commands/sign-in.command';
import { SignInRefused } from './sign-in-refused';

export const PROVIDER_NAMES: Record<IdentityProvider, string> = { github: 'GitHub', oidc: 'OpenID Connect' };

/**
 * Signs in the member a provider's account is: the one it is bound to, or linked to by an admin (bound now),
 * or with SIGN_IN_CREATES_MEMBERS a new member named after the login. The session it opens lasts
 * EXTERNAL_SESSION_TTL_MS at most, so that the provider is asked again soon.
 */
@Injectable()
export class ExternalSignIn {
  constructor(
    private readonly members: MemberDirectory,
    private readonly repository: MemberRepository,
    private readonly commands: CommandBus,
    private readonly config: ManagerConfig,
  ) {}

  async session(
    provider: IdentityProvider,
    login: string,
    subject: string,
  ): Promise<{ secret: string; expiresAt: Date }> {
    const name =
      (await this.members.byIdentity(provider, login, subject))?.name ??
      (await this.created(provider, login, subject));
    const member = await this.repository.load(name);
    try {
      member.bindIdentity(provider, login, subject);
    } catch (error) {
      if (error instanceof DomainError) throw new SignInRefused(error.message);
      throw error;
    }
    if (member.pendingEvents.length > 0) await this.repository.save(member, `member:${name}`);
    const view = await this.members.find(name);
    if (!view) throw new SignInRefused(`member "${name}" was removed during the sign-in`);
    const until = new Date(Date.now() + this.config.EXTERNAL_SESSION_TTL_MS);
    return this.commands.execute(new SignInCommand(memberCaller(view, null), until));
  }

  /** A new member for an account no member is linked to, when the Manager is set to make them. */
  private async created(provider: IdentityProvider, login: string, subject: string): Promise<string> {
    const where = `your ${PROVIDER_NAMES[provider]} account "${login}"`;
    if (!this.config.SIGN_IN_CREATES_MEMBERS) {
      throw new SignInRefused(`${where} is not linked to a member here: ask an admin to link it to yours`);
    }
    const name = login.toLowerCase();
    const problem = memberNameProblem(name);
    if (problem)
      throw new SignInRefused(`${where} cannot name a member (${problem}): ask an admin to add you`);
    const member = await this.repository.load(name);
    try {
      // The account's own token is never shown: the member makes named tokens when they want one.
      member.add('member', newMemberToken().tokenDigest, randomUUID());
    } catch (error) {
      if (error instanceof DomainError) {
        throw new SignInRefused(
          `${where} would be member "${name}", which is someone else: ask an admin to link yours`,
        );
      }
      throw error;
    }
    member.bindIdentity(provider, login, subject);
    await this.repository.save(member, `${provider}:${login}`);
    return name;
  }
}
