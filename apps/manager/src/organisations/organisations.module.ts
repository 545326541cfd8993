import { Global, Module } from '@nestjs/common';
import { AllowListRepository } from './allow-list.repository';
import { AllowOrganisationHandler } from './commands/allow-organisation.handler';
import { DisallowOrganisationHandler } from './commands/disallow-organisation.handler';
import { SetMemberDeploysHandler } from './commands/set-member-deploys.handler';
import { OrganisationDirectory } from './organisation-directory';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsProjection } from './projections/organisations.projection';

/** The allow-list of organisations, managed through the API and read by the deployment commands. */
@Global()
@Module({
  controllers: [OrganisationsController],
  providers: [
    AllowListRepository,
    OrganisationDirectory,
    OrganisationsProjection,
    AllowOrganisationHandler,
    DisallowOrganisationHandler,
    SetMemberDeploysHandler,
  ],
  exports: [OrganisationDirectory],
})
export class OrganisationsModule {}
