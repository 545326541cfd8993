import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberRepository } from '../member.repository';
import { RemoveMemberCommand } from './remove-member.command';

/** Removes a member's account; their token stops working at once. */
@CommandHandler(RemoveMemberCommand)
export class RemoveMemberHandler implements ICommandHandler<RemoveMemberCommand> {
  constructor(private readonly repository: MemberRepository) {}

  async execute({ name, actor }: RemoveMemberCommand): Promise<void> {
    const member = await this.repository.load(name);
    member.remove();
    await this.repository.save(member, actor);
  }
}
