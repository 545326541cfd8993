import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConcurrencyError } from '@testausdeploy/events';
import { ManagerConfig } from '../config/manager-config';
import { ReadModels } from '../events/read-models';
import { AllowListRepository } from './allow-list.repository';
import { OrganisationView } from './projections/organisation-view';
import { ORGANISATIONS } from './projections/organisations.projection';

/**
 * The allow-list as the rest of the Manager reads it. The first time a Manager starts on an empty log, it
 * records `ALLOWED_ORGS` as the list's first entries (actor `config`); from then on only the API changes it.
 */
@Injectable()
export class OrganisationDirectory implements OnApplicationBootstrap {
  private readonly logger = new Logger(OrganisationDirectory.name);
  private markSeeded: () => void = () => undefined;
  private readonly seeded = new Promise<void>((resolve) => (this.markSeeded = resolve));

  constructor(
    private readonly readModels: ReadModels,
    private readonly repository: AllowListRepository,
    private readonly config: ManagerConfig,
  ) {}

  /** Not awaited: recording needs the read models, which start with the app. */
  onApplicationBootstrap(): void {
    void this.seed()
      .catch((error: Error) => this.logger.error(`seeding the allow-list: ${error.message}`))
      .finally(() => this.markSeeded());
  }

  async isAllowed(org: string): Promise<boolean> {
    return (await this.views()).findOne({ _id: org.toLowerCase() }).then((view) => view !== null);
  }

  /** Whether members may deploy new repositories of the organisation: false for one not allowed at all. */
  async memberDeploys(org: string): Promise<boolean> {
    const view = await (await this.views()).findOne({ _id: org.toLowerCase() });
    return view?.memberDeploys === true;
  }

  async all(): Promise<OrganisationView[]> {
    return (await this.views()).find().sort({ _id: 1 }).toArray();
  }

  private async views() {
    await this.seeded;
    return this.readModels.collection<OrganisationView>(ORGANISATIONS);
  }

  private async seed(): Promise<void> {
    await this.readModels.started;
    const list = await this.repository.load();
    if (list.version > 0) return;
    for (const org of new Set(this.config.ALLOWED_ORGS.map((name) => name.toLowerCase()))) list.allow(org);
    await this.repository.save(list, 'config').catch((error: unknown) => {
      // Another start recorded the list first: it is seeded either way.
      if (!(error instanceof ConcurrencyError)) throw error;
    });
  }
}
