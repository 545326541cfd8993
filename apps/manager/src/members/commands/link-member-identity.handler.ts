import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Conflict } from '@testausdeploy/domain';
import { MemberDirectory } from '../member-directory';
import { MemberRepository } from '../member.repository';
import { LinkMemberIdentityCommand } from './link-member-identity.command';

@CommandHandler(LinkMemberIdentityCommand)
export class LinkMemberIdentityHandler implements ICommandHandler<LinkMemberIdentityCommand> {
  constructor(
    private readonly repository: MemberRepository,
    private readonly members: MemberDirectory,
  ) {}

  async execute({ name, provider, login, actor }: LinkMemberIdentityCommand) {
    const holder = (await this.members.all()).find(({ name: other, identities }) =>
      identities.some(
        (one) => one.provider === provider && one.loginKey === login.toLowerCase() && other !== name,
      ),
    );
    if (holder) throw new Conflict(`the ${provider} login "${login}" is linked to member "${holder.name}"`);
    const member = await this.repository.load(name);
    member.linkIdentity(provider, login);
    await this.repository.save(member, actor);
    return { name, provider, login };
  }
}
