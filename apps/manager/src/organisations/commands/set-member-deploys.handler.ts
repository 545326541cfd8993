import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AllowListRepository } from '../allow-list.repository';
import { SetMemberDeploysCommand } from './set-member-deploys.command';

@CommandHandler(SetMemberDeploysCommand)
export class SetMemberDeploysHandler implements ICommandHandler<SetMemberDeploysCommand> {
  constructor(private readonly repository: AllowListRepository) {}

  async execute({ org, allowed, actor }: SetMemberDeploysCommand): Promise<void> {
    const list = await this.repository.load();
    list.setMemberDeploys(org, allowed);
    await this.repository.save(list, actor);
  }
}
