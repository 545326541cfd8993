import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AllowListRepository } from '../allow-list.repository';
import { DisallowOrganisationCommand } from './disallow-organisation.command';

@CommandHandler(DisallowOrganisationCommand)
export class DisallowOrganisationHandler implements ICommandHandler<DisallowOrganisationCommand> {
  constructor(private readonly repository: AllowListRepository) {}

  async execute({ org, actor }: DisallowOrganisationCommand): Promise<void> {
    const list = await this.repository.load();
    list.disallow(org);
    await this.repository.save(list, actor);
  }
}
