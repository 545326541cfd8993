import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AllowListRepository } from '../allow-list.repository';
import { AllowOrganisationCommand } from './allow-organisation.command';

@CommandHandler(AllowOrganisationCommand)
export class AllowOrganisationHandler implements ICommandHandler<AllowOrganisationCommand> {
  constructor(private readonly repository: AllowListRepository) {}

  async execute({ org, actor }: AllowOrganisationCommand): Promise<{ org: string }> {
    const list = await this.repository.load();
    list.allow(org);
    await this.repository.save(list, actor);
    return { org: org.toLowerCase() };
  }
}
